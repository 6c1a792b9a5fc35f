/** The schedule RPCs through a real server and client: round trips, runs firing, status codes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { status } from '@grpc/grpc-js';
import type { Schedule } from '../../src/generated/scheduler/v1/Schedule';
import type { UpsertScheduleResponse__Output } from '../../src/generated/scheduler/v1/UpsertScheduleResponse';
import type { GetQueueStatsResponse__Output } from '../../src/generated/scheduler/v1/GetQueueStatsResponse';
import type { GetScheduleResponse__Output } from '../../src/generated/scheduler/v1/GetScheduleResponse';
import type { ListSchedulesResponse__Output } from '../../src/generated/scheduler/v1/ListSchedulesResponse';
import { FIELD_TRAILER } from '../../src/server/status';
import { uniqueName } from '../helpers/redis';
import {
  leaseOneJob,
  rpcError,
  seconds,
  startTestServer,
  unary,
  useTestServer,
} from '../helpers/server';

const t = useTestServer({ STATIC_TIERS: 'acme=premium', MAX_SCHEDULES_PER_QUEUE: '3' });

function schedule(queue: string, over: Schedule = {}): Schedule {
  return {
    queue,
    scheduleId: 'report',
    cron: '0 9 * * 1-5',
    timeZone: 'Europe/Berlin',
    template: { tenantId: 'acme', payload: Buffer.from('{"r":1}'), priority: 4, maxAttempts: 3 },
    ...over,
  };
}
const upsert = (s: Schedule): Promise<UpsertScheduleResponse__Output> =>
  unary((cb) => t.client.upsertSchedule({ schedule: s }, cb));
const get = (queue: string, scheduleId = 'report'): Promise<GetScheduleResponse__Output> =>
  unary((cb) => t.client.getSchedule({ queue, scheduleId }, cb));
const list = (
  queue: string,
  pageSize: number,
  pageToken = '',
): Promise<ListSchedulesResponse__Output> =>
  unary((cb) => t.client.listSchedules({ queue, pageSize, pageToken }, cb));
const del = (queue: string, scheduleId = 'report'): Promise<unknown> =>
  unary((cb) => t.client.deleteSchedule({ queue, scheduleId }, cb));
const ms = (ts: { seconds: string | number; nanos: number } | null): number =>
  Number(ts!.seconds) * 1000 + Math.floor(ts!.nanos / 1e6);

describe('schedule RPCs', () => {
  it('creates, reads back, lists, replaces and deletes a schedule', async () => {
    const queue = uniqueName();
    const start = Date.UTC(2030, 0, 1);
    const created = await upsert(
      schedule(queue, {
        startTime: seconds(start),
        missedRuns: 'MISSED_RUN_POLICY_RUN_ONCE',
      }),
    );
    assert.equal(created.created, true);
    // Weekday 09:00 in Berlin (CET, UTC+1) after start: Tuesday 2030-01-01 08:00Z.
    assert.equal(
      new Date(ms(created.schedule!.nextRunTime)).toISOString(),
      '2030-01-01T08:00:00.000Z',
    );
    const { schedule: read } = await get(queue);
    assert.deepEqual(
      [read!.cron, read!.timeZone, read!.missedRuns, read!.paused, read!.every, read!.lastJobId],
      ['0 9 * * 1-5', 'Europe/Berlin', 'MISSED_RUN_POLICY_RUN_ONCE', false, null, ''],
    );
    assert.deepEqual(
      [read!.template!.tenantId, read!.template!.payload.toString(), read!.template!.priority],
      ['acme', '{"r":1}', 4],
    );
    assert.equal(ms(read!.startTime), start);
    const replaced = await upsert(
      schedule(queue, { cron: '', every: seconds(3_600_000), paused: true }),
    );
    assert.equal(replaced.created, false);
    assert.equal(replaced.schedule!.nextRunTime, null, 'paused: no next run');
    await upsert(schedule(queue, { scheduleId: 'b' }));
    const page = await list(queue, 1);
    assert.deepEqual(
      page.schedules.map((s) => s.scheduleId),
      ['b'],
    );
    const rest = await list(queue, 1, page.nextPageToken);
    assert.deepEqual(
      [rest.schedules.map((s) => s.scheduleId), rest.nextPageToken],
      [['report'], ''],
    );
    await del(queue);
    assert.equal((await rpcError(get(queue))).code, status.NOT_FOUND);
    assert.equal((await rpcError(del(queue))).code, status.NOT_FOUND);
  });

  it('fires a run within a second of its time, as a job a worker leases', async () => {
    const queue = uniqueName();
    const { schedule: s } = await upsert(schedule(queue, { cron: '', every: seconds(1000) }));
    const fireTime = ms(s!.nextRunTime);
    const leased = await leaseOneJob(t.client, queue);
    await del(queue);
    const job = leased.job!;
    assert.equal(job.idempotencyKey, `schedule:report:${fireTime}`);
    assert.deepEqual(
      [job.tenantId, job.tier, job.priority, job.maxAttempts],
      ['acme', 'premium', 4, 3],
    );
    const late = ms(job.enqueueTime) - fireTime;
    assert.ok(late >= 0 && late < 1000, `enqueued ${late} ms after its fire time`);
    const metrics = await (await fetch(`http://127.0.0.1:${t.server.metricsPort}/metrics`)).text();
    assert.match(
      metrics,
      new RegExp(`scheduler_schedule_runs_fired_total\\{queue="${queue}"\\} [1-9]`),
    );
  });

  it('gives one job per run with two replicas firing the same schedule', async () => {
    const queue = uniqueName();
    const second = await startTestServer(t.redis.url, { STATIC_TIERS: 'acme=premium' });
    try {
      const { schedule: s } = await upsert(schedule(queue, { cron: '', every: seconds(1000) }));
      const first = ms(s!.nextRunTime);
      let last = 0;
      for (let i = 0; i < 100 && last < first + 3000; i++) {
        await sleep(100);
        const lastRun = (await get(queue)).schedule!.lastRunTime;
        if (lastRun) last = ms(lastRun);
      }
      await del(queue);
      const stats = await unary<GetQueueStatsResponse__Output>((cb) =>
        second.client.getQueueStats({ queue }, cb),
      );
      assert.equal(Number(stats.counts!.pending), (last - first) / 1000 + 1, 'one job per run');
    } finally {
      await second.stop();
    }
  });

  it('refuses bad input with INVALID_ARGUMENT naming the field', async () => {
    const queue = uniqueName();
    const cases: Array<[Schedule, string]> = [
      [schedule(queue, { cron: '61 * * * *' }), 'cron'],
      [schedule(queue, { cron: 'every day' }), 'cron'],
      [schedule(queue, { cron: '0 0 30 2 *' }), 'cron'],
      [schedule(queue, { every: seconds(60_000) }), 'cron'],
      [schedule(queue, { cron: '' }), 'cron'],
      [schedule(queue, { cron: '', every: seconds(999) }), 'every'],
      [schedule(queue, { timeZone: 'Mars/Olympus_Mons' }), 'time_zone'],
      [schedule(queue, { startTime: seconds(2e12), endTime: seconds(2e12 - 1000) }), 'end_time'],
      [schedule(queue, { endTime: seconds(1e12) }), 'end_time'],
      [schedule(queue, { startTime: { seconds: '9223372036854775807', nanos: 0 } }), 'start_time'],
      [schedule(queue, { endTime: { seconds: '-1', nanos: 0 } }), 'end_time'],
      [
        schedule(queue, { template: { tenantId: '', payload: Buffer.from('p') } }),
        'template.tenant_id',
      ],
      [schedule(queue, { template: { tenantId: 'acme', priority: 10 } }), 'template.priority'],
      [
        schedule(queue, { template: { tenantId: 'acme', idempotencyKey: 'k' } }),
        'template.idempotency_key',
      ],
      [schedule(queue, { template: { tenantId: 'acme', queue: 'other' } }), 'template.queue'],
      [schedule(queue, { template: null }), 'template.tenant_id'],
      [schedule(queue, { scheduleId: 'a/b' }), 'schedule_id'],
      [schedule('', {}), 'queue'],
      [schedule(queue, { missedRuns: 7 as unknown as 'MISSED_RUN_POLICY_SKIP' }), 'missed_runs'],
    ];
    for (const [input, field] of cases) {
      const err = await rpcError(upsert(input));
      assert.equal(err.code, status.INVALID_ARGUMENT, `${field}: ${err.details}`);
      assert.ok(err.details.startsWith(`${field}:`), err.details);
      assert.deepEqual(err.metadata.get(FIELD_TRAILER), [field]);
    }
    const badPage = await rpcError(list(queue, 5000));
    assert.equal(badPage.code, status.INVALID_ARGUMENT);
    assert.ok(badPage.details.startsWith('page_size:'), badPage.details);
    assert.deepEqual((await list(queue, 10)).schedules, [], 'nothing was stored');
  });

  it('refuses a new schedule beyond MAX_SCHEDULES_PER_QUEUE with RESOURCE_EXHAUSTED', async () => {
    const queue = uniqueName();
    for (const id of ['a', 'b', 'c']) await upsert(schedule(queue, { scheduleId: id }));
    const err = await rpcError(upsert(schedule(queue, { scheduleId: 'd' })));
    assert.equal(err.code, status.RESOURCE_EXHAUSTED);
    assert.match(err.details, /MAX_SCHEDULES_PER_QUEUE/);
    await upsert(schedule(queue, { scheduleId: 'a', cron: '0 10 * * *' }));
  });
});

describe('ListSchedules with large templates', () => {
  // The default payload limit (1 MiB): five templates make 5 MiB, more than a client accepts.
  const big = useTestServer({ STATIC_TIERS: 'acme=premium' });

  it('packs pages under 4 MiB and gives the rest with a page token', async () => {
    const queue = uniqueName();
    const payload = Buffer.alloc(1024 * 1024 - 100, 7); // just under MAX_PAYLOAD_BYTES
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (const scheduleId of ids) {
      const s = schedule(queue, { scheduleId, template: { tenantId: 'acme', payload } });
      await unary((cb) => big.client.upsertSchedule({ schedule: s }, cb));
    }
    const seen: string[] = [];
    let pageToken = '';
    do {
      // A default client: it refuses replies over 4 MiB.
      const page = await unary<ListSchedulesResponse__Output>((cb) =>
        big.client.listSchedules({ queue, pageToken }, cb),
      );
      assert.ok(
        page.schedules.length > 0 && page.schedules.length <= 3,
        `${page.schedules.length}`,
      );
      assert.ok(page.schedules.every((s) => s.template?.payload.length === payload.length));
      seen.push(...page.schedules.map((s) => s.scheduleId));
      pageToken = page.nextPageToken;
    } while (pageToken !== '');
    assert.deepEqual(seen, ids, 'every schedule once, in order');
  });
});
