/**
 * Replicas on Redis's own clock: two runners fire the same schedule while they restart in turns
 * (a restart is a new runner on a new connection, as a new process would be). Every run must give
 * exactly one job, none lost while one replica is up, none twice.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_SCHEDULER_OPTIONS } from '../../../src/scheduler/scheduler';
import type { ScheduleRunner } from '../../../src/scheduler/schedules/runner';
import { Schedules } from '../../../src/scheduler/schedules/service';
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
