/** The SDK's schedule calls against a real server: friendly types both ways, typed errors. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSchedulerClientError, Status } from '../../src/clients';
import { uniqueName } from '../helpers/redis';
import { useEnv } from './helpers';

const env = useEnv({ STATIC_TIERS: 'acme=premium' });

describe('SchedulerClient schedules', () => {
  it('upserts, reads, lists and deletes a schedule with friendly types', async () => {
    const queue = uniqueName();
    const endTime = new Date(Date.UTC(2040, 0, 1));
    const { schedule, created } = await env.client.upsertSchedule({
      queue,
      scheduleId: 'digest',
      cron: '0 9 * * 1-5',
      timeZone: 'Europe/Berlin',
      endTime,
      missedRuns: 'run_once',
      template: {
        tenantId: 'acme',
        payload: '{"kind":"digest"}',
        priority: 2,
        headers: { a: 'b' },
      },
    });
    assert.equal(created, true);
    assert.ok(schedule.nextRunTime instanceof Date && schedule.nextRunTime > new Date());
    const read = await env.client.getSchedule(queue, 'digest');
    assert.deepEqual(
      [read.cron, read.everyMs, read.timeZone, read.missedRuns, read.paused, read.endTime],
      ['0 9 * * 1-5', undefined, 'Europe/Berlin', 'run_once', false, endTime],
    );
    assert.deepEqual(
      [read.template.tenantId, read.template.payload.toString(), read.template.headers],
      ['acme', '{"kind":"digest"}', { a: 'b' }],
    );
    const again = await env.client.upsertSchedule({
      queue,
      scheduleId: 'digest',
      everyMs: 3_600_000,
      paused: true,
      template: { tenantId: 'acme' },
    });
    assert.deepEqual(
      [again.created, again.schedule.nextRunTime, again.schedule.everyMs],
      [false, undefined, 3_600_000],
    );
    const page = await env.client.listSchedules(queue, { pageSize: 10 });
    assert.deepEqual(
      [page.schedules.map((s) => s.scheduleId), page.nextPageToken],
      [['digest'], undefined],
    );
    await env.client.deleteSchedule(queue, 'digest');
    const gone = await env.client.getSchedule(queue, 'digest').catch((err: unknown) => err);
    assert.ok(isSchedulerClientError(gone) && gone.code === Status.NOT_FOUND);
  });

  it('rejects bad input with INVALID_ARGUMENT and the field', async () => {
    const err = await env.client
      .upsertSchedule({
        queue: uniqueName(),
        scheduleId: 's',
        everyMs: 10,
        template: { tenantId: 'acme' },
      })
      .catch((e: unknown) => e);
    assert.ok(isSchedulerClientError(err));
    assert.deepEqual([err.code, err.field], [Status.INVALID_ARGUMENT, 'every']);
  });
});
