/**
 * Schedules on a real Redis with a pinned clock: the job harness plus schedule stores, the
 * service and runners, on an index of queues of the test's own (so runners see only its queues).
 */
import { Redis } from 'ioredis';
import { RedisScheduleStore } from '../../../src/scheduler/redis/schedule-store';
import { DEFAULT_SCHEDULER_OPTIONS } from '../../../src/scheduler/scheduler';
import {
  ScheduleRunner,
  type ScheduleRunnerOptions,
} from '../../../src/scheduler/schedules/runner';
import type { ScheduleInput } from '../../../src/scheduler/schedules/schedule';
import { Schedules } from '../../../src/scheduler/schedules/service';
import { StaticTierResolver } from '../../../src/scheduler/tiers/static';
import type { Job } from '../../../src/scheduler/job';
import { uniqueName } from '../../helpers/redis';
import { checkInvariant, harness, type Harness, type HarnessOptions } from '../harness';

export interface ScheduleHarness extends Harness {
  index: string;
  schedules: Schedules;
  /** A store on a connection of its own, as another replica has. */
  replicaStore(options?: { pinned?: boolean }): RedisScheduleStore;
  runner(store?: RedisScheduleStore, options?: Partial<ScheduleRunnerOptions>): ScheduleRunner;
  /** What runners reported: fired job ids, and skipped runs by queue. */
  events: { fired: string[]; skipped: Map<string, number> };
  /** Every job of the queue (any state), by enqueue order; checks the queue's invariant first. */
  jobs(queue: string): Promise<Job[]>;
}

export const WEIGHTS = new Map([
  ['premium', 1000],
  ['free', 100],
]);
const quiet = { warn: () => undefined, info: () => undefined };

export async function scheduleHarness(
  maxPerQueue = 1000,
  options: HarnessOptions = {},
): Promise<ScheduleHarness> {
  const h = await harness(options);
  const index = uniqueName('sched-index');
  const connections: Redis[] = [];
  const replicaStore = ({ pinned = true } = {}): RedisScheduleStore => {
    const redis = new Redis(h.server.url, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    connections.push(redis);
    return new RedisScheduleStore(redis, {
      weights: WEIGHTS,
      maxPerQueue,
      indexKey: index,
      pinnedNow: pinned ? () => h.clock.now : undefined,
    });
  };
  const store = replicaStore();
  const events = { fired: [] as string[], skipped: new Map<string, number>() };
  const tiers = new StaticTierResolver(new Map([['acme', 'premium']]), 'free');
  return {
    ...h,
    index,
    schedules: new Schedules(store, DEFAULT_SCHEDULER_OPTIONS),
    replicaStore,
    events,
    runner: (runnerStore = store, options = {}) =>
      new ScheduleRunner(
        runnerStore,
        tiers,
        {
          fired: (_queue, jobId) => events.fired.push(jobId),
          skipped: (queue, runs) =>
            void events.skipped.set(queue, (events.skipped.get(queue) ?? 0) + runs),
        },
        quiet,
        options,
      ),
    jobs: async (queue) => {
      const problems = await checkInvariant(h.redis, queue);
      if (problems.length)
        throw new Error(`queue ${queue} broke the invariant: ${problems.join('; ')}`);
      const seqs = (await h.redis.hget(`sched:{${queue}}:meta`, 'seq')) ?? '0';
      const all: Job[] = [];
      for (let seq = 1; seq <= Number(seqs); seq++)
        all.push(await h.store.get({ queue, seq: String(seq) }));
      return all;
    },
    close: async () => {
      for (const c of connections) c.disconnect();
      await h.close();
    },
  };
}

/** A schedule firing every `everyMs` for tenant acme, unless `over` says otherwise. */
export function every(
  queue: string,
  everyMs: number,
  over: Partial<ScheduleInput> = {},
): ScheduleInput {
  return {
    queue,
    scheduleId: 'nightly',
    everyMs,
    timeZone: 'UTC',
    missedRuns: 'skip',
    paused: false,
    template: { tenantId: 'acme', payload: Buffer.from('{"report":true}'), priority: 3 },
    ...over,
  };
}

/** The fire time a run's job carries in its idempotency key. */
export function fireTimeOf(job: Job): number {
  const match = /^schedule:.+:(\d+)$/.exec(job.idempotencyKey ?? '');
  if (!match) throw new Error(`job ${job.id} has no schedule run key: ${job.idempotencyKey}`);
  return Number(match[1]);
}
