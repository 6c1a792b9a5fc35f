import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isSchedulerError } from '../../../src/scheduler/errors';
import { DEFAULT_SCHEDULER_OPTIONS } from '../../../src/scheduler/scheduler';
import type { RedisScheduleStore } from '../../../src/scheduler/redis/schedule-store';
import { runKey } from '../../../src/scheduler/schedules/runner';
import type { Run } from '../../../src/scheduler/schedules/store';
import type { NewJob } from '../../../src/scheduler/store';
import { Schedules } from '../../../src/scheduler/schedules/service';
import { Upkeep } from '../../../src/scheduler/upkeep';
import { uniqueName } from '../../helpers/redis';
import { T0 } from '../harness';
import { every, fireTimeOf, scheduleHarness, type ScheduleHarness } from './harness';

const MIN = 60_000;
const template = { tenantId: 'acme', payload: Buffer.from('{"report":true}') };

describe('schedule runs on Redis (pinned clock)', () => {
  let h: ScheduleHarness;
  before(async () => (h = await scheduleHarness(3)));
  after(() => h.close());

  it('fires one job per run, keyed by schedule and fire time, and moves the next run on', async () => {
    const queue = uniqueName();
    h.clock.now = T0 + 1000;
    const { schedule, created } = await h.schedules.upsert(every(queue, MIN));
    assert.equal(created, true);
    assert.equal(schedule.nextRunTime, T0 + MIN);
    const runner = h.runner();
    h.clock.now = T0 + MIN - 1;
    await runner.look();
    assert.equal((await h.jobs(queue)).length, 0, 'not due yet');
    h.clock.now = T0 + MIN + 200;
    await runner.look();
    await runner.look();
    const [job, ...rest] = await h.jobs(queue);
    assert.equal(rest.length, 0);
    assert.equal(job!.idempotencyKey, runKey('nightly', T0 + MIN));
    assert.deepEqual(
      [job!.tenantId, job!.tier, job!.priority, job!.payload.toString(), job!.state],
      ['acme', 'premium', 3, '{"report":true}', 'pending'],
    );
    const stored = await h.schedules.get(queue, 'nightly');
    assert.equal(stored.lastRunTime, T0 + MIN);
    assert.equal(stored.lastJobId, job!.id);
    assert.equal(stored.nextRunTime, T0 + 2 * MIN);
  });

  it('gives one job per run to two replicas racing over the same runs', async () => {
    const queue = uniqueName();
    h.clock.now = T0;
    await h.schedules.upsert(every(queue, 1000));
    const a = h.runner(h.replicaStore());
    const b = h.runner(h.replicaStore());
    for (let step = 1; step <= 30; step++) {
      h.clock.now = T0 + step * 1000 + 5;
      await Promise.all([a.look(), b.look(), a.look()]);
    }
    const fireTimes = (await h.jobs(queue)).map(fireTimeOf);
    assert.deepEqual(
      fireTimes,
      Array.from({ length: 30 }, (_, i) => T0 + (i + 1) * 1000),
    );
  });

  /** A schedule due at T0 + 1 min, and its first run as a replica that read it asks to fire it. */
  async function firstRun(
    queue: string,
    job?: NewJob,
  ): Promise<{ store: RedisScheduleStore; run: Run }> {
    h.clock.now = T0;
    await h.schedules.upsert(every(queue, MIN));
    const store = h.replicaStore();
    const [due] = await store.dueSchedules(queue, T0 + MIN, 10);
    const run = {
      queue,
      scheduleId: 'nightly',
      version: due!.version,
      fireTime: T0 + MIN,
      nextRunTime: T0 + 2 * MIN,
      job,
    };
    return { store, run };
  }

  it('refuses a run already fired, as a replica that read it before a restart would ask', async () => {
    const queue = uniqueName();
    const { store, run } = await firstRun(queue, {
      queue,
      tenantId: 'acme',
      payload: Buffer.from('x'),
      priority: 0,
      maxAttempts: 1,
      tier: 'free',
      idempotencyKey: runKey('nightly', T0 + MIN),
    });
    h.clock.now = T0 + MIN;
    assert.equal((await store.fire(run)).outcome, 'fired');
    assert.deepEqual(await store.fire(run), { outcome: 'stale' });
    // Even a next run time rewound to the fired one (a bug elsewhere) cannot fire it again.
    await h.redis.hset(`sched:{${queue}}:schedule:nightly`, 'next', T0 + MIN);
    assert.deepEqual(await store.fire(run), { outcome: 'stale' });
    assert.equal((await h.jobs(queue)).length, 1);
  });

  it('refuses a run that is not due yet on the store clock', async () => {
    const { store, run } = await firstRun(uniqueName());
    assert.deepEqual(await store.fire(run), { outcome: 'not_due' });
  });

  it('keeps the next run on a repeated upsert; a changed cadence fires nothing by itself', async () => {
    const queue = uniqueName();
    h.clock.now = T0 + 10;
    await h.schedules.upsert(every(queue, MIN));
    h.clock.now = T0 + MIN + 30_000; // due 30 s ago: a restart re-registering must not lose it
    const again = await h.schedules.upsert(every(queue, MIN));
    assert.equal(again.created, false);
    assert.equal(again.schedule.nextRunTime, T0 + MIN);
    const changed = await h.schedules.upsert(every(queue, 2 * MIN));
    assert.equal(changed.schedule.nextRunTime, T0 + 2 * MIN);
    await h.runner().look();
    assert.equal((await h.jobs(queue)).length, 0, 'the change fired nothing');
    assert.equal(await h.redis.zcard(`sched:{${queue}}:schedules`), 1);
  });

  it('keeps one schedule and one job per run under racing upserts', async () => {
    const queue = uniqueName();
    h.clock.now = T0;
    const stores = [h.replicaStore(), h.replicaStore()];
    const services = stores.map((s) => new Schedules(s, DEFAULT_SCHEDULER_OPTIONS));
    const runners = stores.map((s) => h.runner(s));
    for (let step = 1; step <= 10; step++) {
      h.clock.now = T0 + step * 1000 + 1;
      const cadence = step % 2 === 0 ? 1000 : 500 * 2; // the same runs, spelled as changes
      await Promise.all([
        services[0]!.upsert(every(queue, cadence, { timeZone: step % 2 ? 'UTC' : 'Etc/UTC' })),
        services[1]!.upsert(every(queue, cadence)),
        runners[0]!.look(),
        runners[1]!.look(),
      ]);
    }
    const times = (await h.jobs(queue)).map(fireTimeOf);
    assert.equal(new Set(times).size, times.length, `no run twice: ${times.join(',')}`);
    assert.equal(await h.redis.zcard(`sched:{${queue}}:schedules`), 1);
  });

  it('after downtime, SKIP fires nothing for missed runs and counts them', async () => {
    const queue = uniqueName();
    h.clock.now = T0;
    await h.schedules.upsert(every(queue, MIN));
    h.clock.now = T0 + 5 * MIN + 30_000; // runs at 1..5 min missed
    await h.runner().look();
    assert.equal((await h.jobs(queue)).length, 0);
    assert.equal(h.events.skipped.get(queue), 5);
    assert.equal((await h.schedules.get(queue, 'nightly')).nextRunTime, T0 + 6 * MIN);
  });

  it('after downtime, RUN_ONCE fires one job for all the missed runs', async () => {
    const queue = uniqueName();
    h.clock.now = T0;
    await h.schedules.upsert(every(queue, MIN, { missedRuns: 'run_once' }));
    h.clock.now = T0 + 5 * MIN + 30_000;
    const runner = h.runner();
    await runner.look();
    await runner.look();
    const jobs = await h.jobs(queue);
    assert.deepEqual(jobs.map(fireTimeOf), [T0 + MIN]);
    assert.equal((await h.schedules.get(queue, 'nightly')).nextRunTime, T0 + 6 * MIN);
  });

  it('catches up runs that fell due within the grace period, one job each', async () => {
    const queue = uniqueName();
    h.clock.now = T0;
    await h.schedules.upsert(every(queue, 1000));
    h.clock.now = T0 + 3500; // a stalled replica: 2.5 s late at most
    await h.runner().look();
    assert.deepEqual((await h.jobs(queue)).map(fireTimeOf), [T0 + 1000, T0 + 2000, T0 + 3000]);
  });

  it('fires nothing while paused, and resumes at the first run after now', async () => {
    const queue = uniqueName();
    h.clock.now = T0;
    const paused = await h.schedules.upsert(every(queue, MIN, { paused: true }));
    assert.equal(paused.schedule.nextRunTime, undefined);
    h.clock.now = T0 + 3 * MIN + 1;
    await h.runner().look();
    assert.equal((await h.jobs(queue)).length, 0);
    const resumed = await h.schedules.upsert(every(queue, MIN));
    assert.equal(resumed.schedule.nextRunTime, T0 + 4 * MIN);
  });

  it('stops firing a deleted schedule', async () => {
    const queue = uniqueName();
    h.clock.now = T0;
    await h.schedules.upsert(every(queue, MIN));
    await h.schedules.delete(queue, 'nightly');
    h.clock.now = T0 + MIN;
    await h.runner().look();
    assert.equal((await h.jobs(queue)).length, 0);
    await assert.rejects(
      h.schedules.get(queue, 'nightly'),
      (err) => isSchedulerError(err) && err.code === 'not_found',
    );
    await assert.rejects(
      h.schedules.delete(queue, 'nightly'),
      (err) => isSchedulerError(err) && err.code === 'not_found',
    );
  });

  it('bounds the schedules of a queue, and still replaces an existing one', async () => {
    const queue = uniqueName();
    h.clock.now = T0;
    for (const id of ['a', 'b', 'c'])
      await h.schedules.upsert(every(queue, MIN, { scheduleId: id }));
    await assert.rejects(
      h.schedules.upsert(every(queue, MIN, { scheduleId: 'd' })),
      (err) => isSchedulerError(err) && err.code === 'resource_exhausted',
    );
    await h.schedules.upsert(every(queue, 2 * MIN, { scheduleId: 'c' }));
    const page = await h.schedules.list(queue, 2);
    assert.deepEqual(
      page.schedules.map((s) => s.scheduleId),
      ['a', 'b'],
    );
    const rest = await h.schedules.list(queue, 2, page.nextPageToken);
    assert.deepEqual([rest.schedules.map((s) => s.scheduleId), rest.nextPageToken], [['c'], '']);
    assert.equal(rest.schedules[0]!.everyMs, 2 * MIN);
  });
});

describe('schedule runs across daylight saving changes (pinned clock)', () => {
  let h: ScheduleHarness;
  before(async () => (h = await scheduleHarness()));
  after(() => h.close());

  it('fires a spring-skipped wall-clock time once after the gap and an autumn-repeated one once', async () => {
    const queue = uniqueName();
    const start = Date.parse('2026-03-07T12:00:00Z');
    h.clock.now = start;
    const cron = (scheduleId: string, pattern: string) =>
      every(queue, 0, {
        scheduleId,
        everyMs: undefined,
        cron: pattern,
        timeZone: 'America/New_York',
      });
    await h.schedules.upsert(cron('spring', '30 2 * * *'));
    const runner = h.runner(undefined, { missedRunGraceMs: 3_600_000 });
    for (let t = start; t <= Date.parse('2026-03-09T12:00:00Z'); t += 10 * MIN) {
      h.clock.now = t;
      await runner.look();
    }
    h.clock.now = Date.parse('2026-10-31T12:00:00Z');
    await h.schedules.delete(queue, 'spring');
    await h.schedules.upsert(cron('autumn', '30 1 * * *'));
    for (let t = h.clock.now; t <= Date.parse('2026-11-02T12:00:00Z'); t += 10 * MIN) {
      h.clock.now = t;
      await runner.look();
    }
    const fired = (await h.jobs(queue)).map((j) => new Date(fireTimeOf(j)).toISOString());
    assert.deepEqual(fired, [
      '2026-03-08T07:00:00.000Z', // 03:00 EDT: 02:30 did not exist
      '2026-03-09T06:30:00.000Z',
      '2026-11-01T05:30:00.000Z', // 01:30 EDT, not again at 01:30 EST
      '2026-11-02T06:30:00.000Z',
    ]);
  });
});

describe('a run’s delayed job on a queue with no worker (own Redis: the upkeep index spans queues)', () => {
  let h: ScheduleHarness;
  before(async () => (h = await scheduleHarness(3, { own: true })));
  after(() => h.close());

  it('is made ready by the upkeep timer once its delay is over', async () => {
    const queue = uniqueName();
    h.clock.now = T0;
    await h.schedules.upsert(every(queue, MIN, { template: { ...template, delayMs: 5000 } }));
    const upkeep = new Upkeep(h.store, { warn: () => undefined });
    await h.store.markAllDue();
    await upkeep.runOnce(); // what start() does: every known queue visited once
    h.clock.now = T0 + MIN;
    await h.runner().look();
    const [fired] = await h.jobs(queue);
    assert.equal(fired?.state, 'scheduled');
    h.clock.now = T0 + MIN + 5000;
    await upkeep.runOnce();
    assert.equal((await h.store.get({ queue, seq: '1' })).state, 'pending');
  });
});
