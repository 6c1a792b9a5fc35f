/**
 * Loads the Lua scripts once per connection (ioredis `defineCommand`: EVALSHA, falling back to
 * EVAL after a Redis restart) and calls them. Each script is its own file with the include files
 * it declares inlined (script-loader.ts). Every call passes the queue's fixed keys as KEYS and
 * the same first three ARGV: the queue's key prefix, the clock, the tiers (lua/includes/).
 * Command names carry a version so that two deployed versions never share a name.
 */
import type { Cluster, Redis } from 'ioredis';
import { QUEUE_KEY_NAMES, queueKeys, queuePrefix } from './keys';
import { loadScript } from './script-loader';

export type RedisClient = Redis | Cluster;
const NAMES = [
  'enqueue',
  'lease',
  'ack',
  'nack',
  'release',
  'extend',
  'cancel',
  'redrive',
  'stats',
  'schedule_upsert',
  'schedule_fire',
  'progress',
  'pause',
  'update_job',
  'promote',
  'cancel_jobs',
  'purge_dead',
] as const;
export type ScriptName = (typeof NAMES)[number];
export type ScriptArg = string | number | Buffer;

const SCRIPT_VERSION = 5;
type Command = (...args: Array<ScriptArg | ScriptArg[]>) => Promise<unknown>;

function commandName(name: ScriptName): string {
  return `sched_${name}_v${SCRIPT_VERSION}`;
}

export class Scripts {
  /** ARGV[3] of every call: the tiers' weights and caps (encodeTiers). */
  private readonly tiers: string;

  /**
   * @param weights tier -> weight, passed to every script (ARGV[3]) for the fair share.
   * @param pinnedNow test-only: a fixed clock (epoch ms) instead of Redis's `TIME`.
   * @param caps tier -> most jobs leased at once per queue; joins the weights as `tier=w:cap`.
   * @param tenantCap most jobs of one tenant leased at once per queue, for tenants without
   *   their own cap; follows the tiers as `;n`.
   */
  constructor(
    private readonly client: RedisClient,
    weights: ReadonlyMap<string, number>,
    private readonly pinnedNow?: () => number,
    caps: ReadonlyMap<string, number> = new Map(),
    tenantCap?: number,
  ) {
    this.tiers = encodeTiers(weights, caps, tenantCap);
    for (const name of NAMES) {
      client.defineCommand(commandName(name), {
        numberOfKeys: QUEUE_KEY_NAMES.length,
        lua: loadScript(name),
      });
    }
  }

  /**
   * Runs a script on a queue; replies come as strings. `args` goes in as one array, which ioredis
   * flattens: spread, a 10,000-job enqueue (80,000 arguments) overflows the call stack inside
   * ioredis (seen with auto-pipelining on), and the error it then throws there is uncaught (the
   * process dies).
   */
  run(name: ScriptName, queue: string, args: ScriptArg[]): Promise<unknown> {
    return this.command(commandName(name))(...this.common(queue), args);
  }

  /** The same, with replies as Buffers: for scripts that return payloads. */
  runBuffer(name: ScriptName, queue: string, args: ScriptArg[]): Promise<unknown> {
    return this.command(`${commandName(name)}Buffer`)(...this.common(queue), args);
  }

  /** KEYS, then ARGV[1..3]. */
  private common(queue: string): ScriptArg[] {
    return [...queueKeys(queue), queuePrefix(queue), this.now(), this.tiers];
  }

  private now(): string {
    return this.pinnedNow ? String(this.pinnedNow()) : '';
  }

  private command(name: string): Command {
    const fn = (this.client as unknown as Record<string, Command>)[name];
    if (!fn) throw new Error(`script ${name} is not defined`);
    return fn.bind(this.client);
  }
}

/** ARGV[3] of every script (lua/includes/tiers.lua): `tier=weight[:cap],...[;tenant cap]`. */
export function encodeTiers(
  weights: ReadonlyMap<string, number>,
  caps: ReadonlyMap<string, number>,
  tenantCap?: number,
): string {
  const fallback = Math.min(...weights.values());
  const tiers = new Set([...weights.keys(), ...caps.keys()]);
  const text = [...tiers]
    .map((tier) => {
      const cap = caps.get(tier);
      return `${tier}=${weights.get(tier) ?? fallback}${cap === undefined ? '' : `:${cap}`}`;
    })
    .join(',');
  return tenantCap === undefined ? text : `${text};${tenantCap}`;
}
