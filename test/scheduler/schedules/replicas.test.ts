/**
 * Replicas on Redis's own clock: two runners fire the same schedule while they restart in turns
 * (a restart is a new runner on a new connection, as a new process would be). Every run must give
 * exactly one job, none lost while one replica is up, none twice.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_SCHEDULER_OPTIONS } from '../../../src/scheduler/scheduler';
import type { ScheduleRunner } from '../../../src/scheduler/schedules/runner';
import { Schedules } from '../../../src/scheduler/schedules/service';
import { waitForReady } from '../../../src/server/redis';
import { uniqueName } from '../../helpers/redis';
import { every, fireTimeOf, scheduleHarness, type ScheduleHarness } from './harness';

describe('schedule runs across replicas and restarts (real clock)', () => {
  let h: ScheduleHarness;
  before(async () => (h = await scheduleHarness()));
  after(() => h.close());

  it('gives one job per fire time from two replicas restarting in turns', async () => {
    const queue = uniqueName();
    const realStore = () => h.replicaStore({ pinned: false });
    // The upsert must read Redis's clock too: a service on an unpinned store.
    const service = new Schedules(realStore(), DEFAULT_SCHEDULER_OPTIONS);
    const start = () => {
      const runner = h.runner(realStore());
      runner.start();
      return runner;
    };
    const replicas: ScheduleRunner[] = [start(), start()];
    const { schedule } = await service.upsert(every(queue, 1000));
    const first = schedule.nextRunTime!;
    // Restart one replica every 700 ms, alternating: 6 s of runs, never both down.
    for (let i = 0; i < 9; i++) {
      await sleep(700);
      const k = i % 2;
      await replicas[k]!.stop();
      // Upserting the same schedule again, as a restarting deploy does, changes nothing.
      await service.upsert(every(queue, 1000));
      replicas[k] = start();
    }
    await Promise.all(replicas.map((r) => r.stop()));
    const last = (await service.get(queue, 'nightly')).lastRunTime!;
    const jobs = await h.jobs(queue);
    const times = jobs.map(fireTimeOf);
    const expected = Array.from({ length: (last - first) / 1000 + 1 }, (_, i) => first + i * 1000);
    assert.ok(expected.length >= 5, `only ${expected.length} runs in 6 s`);
    assert.deepEqual(times, expected, 'each fire time once, in order, none missing');
    for (const job of jobs) {
      const late = job.enqueueTime - fireTimeOf(job);
      assert.ok(late >= 0 && late < 1000, `run ${fireTimeOf(job)} enqueued ${late} ms late`);
    }
  });
});

describe('schedule runs across a Redis outage (real clock)', () => {
  let h: ScheduleHarness;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sched-aof-'));
    // Redis that keeps its data across the restart, as production's AOF does.
    const redisArgs = ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always'];
    h = await scheduleHarness(1000, { own: true, redisArgs });
  });
  after(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs off while Redis is away and catches up the runs it missed, one job each', async () => {
    const queue = uniqueName();
    const service = new Schedules(h.replicaStore({ pinned: false }), DEFAULT_SCHEDULER_OPTIONS);
    const runner = h.runner(h.replicaStore({ pinned: false }));
    runner.start();
    const { schedule } = await service.upsert(every(queue, 1000));
    const jobCount = async (): Promise<number> =>
      Number((await h.redis.hget(`sched:{${queue}}:meta`, 'seq')) ?? 0);
    for (let i = 0; i < 300 && (await jobCount()) < 2; i++) await sleep(50);
    assert.equal(await jobCount(), 2);
    const down = Date.now();
    await h.server.stop();
    await sleep(2500);
    await h.server.restart();
    const up = Date.now();
    // The harness's own connection, like the server's, has no offline queue: wait for its reconnect.
    assert.ok(await waitForReady(h.redis, 10_000), 'the harness reconnected');
    const last = Math.floor(Date.now() / 1000) * 1000;
    for (let i = 0; i < 300; i++) {
      const got = await service.get(queue, 'nightly').catch(() => undefined);
      if ((got?.lastRunTime ?? 0) >= last) break;
      await sleep(50);
    }
    await runner.stop();
    const jobs = await h.jobs(queue);
    const times = jobs.map(fireTimeOf);
    const first = schedule.nextRunTime!;
    const expected = Array.from({ length: times.length }, (_, i) => first + i * 1000);
    assert.deepEqual(times, expected, 'every run once, in order, none missing');
    const caughtUp = jobs.filter((j) => fireTimeOf(j) > down && fireTimeOf(j) < up - 500);
    assert.ok(caughtUp.length >= 1, 'a run fell due during the outage');
    for (const job of caughtUp)
      assert.ok(job.enqueueTime >= up - 100, 'fired after Redis was back');
  });
});
