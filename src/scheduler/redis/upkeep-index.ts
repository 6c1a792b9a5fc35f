/**
 * The upkeep index: which queues have work falling due (a delayed job, a lease deadline, a dead
 * job past retention) and when, so the upkeep timer (../upkeep.ts) visits only those, with one
 * claim call per round however many queues exist, and without a KEYS scan (which Redis Cluster
 * cannot do across nodes).
 *
 * The index is two keys in their own Cluster slot, so a queue's scripts cannot write it in the
 * same atomic step: the server marks a queue after the script that made the work due. A claim
 * clears the queue's mark and a mark set before the claim's `done` keeps the entry at the earlier
 * time, so an entry is never moved later than due work someone marked (see lua/upkeep_*.lua).
 */
import { UPKEEP_DUE_KEY, UPKEEP_MARKS_KEY } from './keys';
import { loadScript } from './script-loader';
import type { RedisClient } from './scripts';

const VERSION = 1;
const NAMES = ['mark', 'claim', 'done'] as const;
type Name = (typeof NAMES)[number];
type Command = (...args: Array<string | number>) => Promise<unknown>;

export class UpkeepIndex {
  constructor(
    private readonly client: RedisClient,
    /** Test-only: a fixed clock (epoch ms) instead of Redis's `TIME`. */
    private readonly pinnedNow?: () => number,
  ) {
    for (const name of NAMES) {
      client.defineCommand(commandName(name), {
        numberOfKeys: 2,
        lua: loadScript(`upkeep_${name}`),
      });
    }
  }

  /** `queue` has work due in `ms` (from Redis's now). */
  async markIn(queue: string, ms: number): Promise<void> {
    await this.run('mark', queue, 'in', Math.max(0, Math.round(ms)));
  }

  /** `queue` has work due at `epochMs` (Redis's clock). */
  async markAt(queue: string, epochMs: number): Promise<void> {
    await this.run('mark', queue, 'at', Math.round(epochMs));
  }

  /** Takes up to `limit` queues whose upkeep is due, for `claimMs`. */
  async claim(limit: number, claimMs: number): Promise<string[]> {
    return (await this.run('claim', limit, claimMs)) as string[];
  }

  /** A claimed queue's upkeep ran; its next due work is in `nextMs` (undefined: none). */
  async done(queue: string, nextMs: number | undefined): Promise<void> {
    await this.run('done', queue, nextMs === undefined ? -1 : Math.max(0, Math.round(nextMs)));
  }

  private run(name: Name, ...args: Array<string | number>): Promise<unknown> {
    const fn = (this.client as unknown as Record<string, Command>)[commandName(name)]!;
    const now = this.pinnedNow ? String(this.pinnedNow()) : '';
    return fn.call(this.client, UPKEEP_DUE_KEY, UPKEEP_MARKS_KEY, now, ...args);
  }
}

function commandName(name: Name): string {
  return `sched_upkeep_${name}_v${VERSION}`;
}
