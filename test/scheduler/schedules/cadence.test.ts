import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextRun, runsBetween } from '../../../src/scheduler/schedules/cadence';
import type { Cadence } from '../../../src/scheduler/schedules/schedule';

const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

/** The first `n` runs after `from`. */
function runs(cadence: Cadence, from: string, n: number): Array<string | undefined> {
  const out: Array<string | undefined> = [];
  let t: number | undefined = Date.parse(from);
  for (let i = 0; i < n && t !== undefined; i++) {
    t = nextRun(cadence, t);
    out.push(iso(t));
  }
  return out;
}

const ny = (cron: string): Cadence => ({ cron, timeZone: 'America/New_York' });

describe('schedule cadence', () => {
  it('fires a wall-clock time skipped in spring once, at the first valid instant after it', () => {
    // 2026-03-08: New York clocks go from 02:00 EST to 03:00 EDT; 02:30 does not exist.
    assert.deepEqual(runs(ny('30 2 * * *'), '2026-03-07T00:00:00Z', 3), [
      '2026-03-07T07:30:00.000Z', // 02:30 EST
      '2026-03-08T07:00:00.000Z', // 03:00 EDT: once, the first instant after the gap
      '2026-03-09T06:30:00.000Z', // 02:30 EDT
    ]);
  });

  it('fires a wall-clock time repeated in autumn once, at its first occurrence', () => {
    // 2026-11-01: New York clocks go from 02:00 EDT back to 01:00 EST; 01:30 happens twice.
    assert.deepEqual(runs(ny('30 1 * * *'), '2026-10-31T00:00:00Z', 3), [
      '2026-10-31T05:30:00.000Z', // 01:30 EDT
      '2026-11-01T05:30:00.000Z', // 01:30 EDT, and not again at 01:30 EST (06:30Z)
      '2026-11-02T06:30:00.000Z', // 01:30 EST
    ]);
  });

  it('keeps a pattern that steps through the hours going through both repeated hours', () => {
    // Real time passes in the repeated hour: each half hour is its own instant, none twice.
    const out = runs(ny('*/30 * * * *'), '2026-11-01T04:50:00Z', 5);
    assert.deepEqual(out, [
      '2026-11-01T05:00:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-01T06:00:00.000Z',
      '2026-11-01T06:30:00.000Z',
      '2026-11-01T07:00:00.000Z',
    ]);
  });

  it('reads the cron fields in the time zone, and in UTC by default', () => {
    const at = '2026-06-01T00:00:00Z';
    assert.deepEqual(runs({ cron: '0 9 * * *', timeZone: 'Europe/Berlin' }, at, 1), [
      '2026-06-01T07:00:00.000Z',
    ]);
    assert.deepEqual(runs({ cron: '0 9 * * *', timeZone: 'UTC' }, at, 1), [
      '2026-06-01T09:00:00.000Z',
    ]);
  });

  it('takes a sixth field for seconds', () => {
    assert.deepEqual(runs({ cron: '*/15 * * * * *', timeZone: 'UTC' }, '2026-01-01T00:00:01Z', 2), [
      '2026-01-01T00:00:15.000Z',
      '2026-01-01T00:00:30.000Z',
    ]);
  });

  it('aligns every to multiples of itself from the epoch, whatever the zone', () => {
    const every: Cadence = { everyMs: 7000, timeZone: 'Asia/Kolkata' };
    const out = runs(every, '2026-01-01T00:00:00.500Z', 3).map((t) => Date.parse(t!));
    for (const t of out) assert.equal(t % 7000, 0);
    assert.ok(out[0]! > Date.parse('2026-01-01T00:00:00.500Z'));
    assert.deepEqual([out[1]! - out[0]!, out[2]! - out[1]!], [7000, 7000]);
    // Strictly after: a time on the grid gives the next point.
    assert.equal(nextRun(every, out[0]!), out[1]);
  });

  it('fires nothing before start_time and nothing after end_time', () => {
    const start = Date.parse('2026-01-01T10:00:00Z');
    const end = Date.parse('2026-01-01T12:00:00Z');
    const hourly: Cadence = { cron: '0 * * * *', timeZone: 'UTC', startTime: start, endTime: end };
    assert.deepEqual(runs(hourly, '2026-01-01T00:00:00Z', 4), [
      '2026-01-01T10:00:00.000Z', // start_time itself is a run
      '2026-01-01T11:00:00.000Z',
      '2026-01-01T12:00:00.000Z', // so is end_time
      undefined,
    ]);
    const every: Cadence = { everyMs: 3_600_000, timeZone: 'UTC', startTime: start + 1 };
    assert.equal(iso(nextRun(every, 0)), '2026-01-01T11:00:00.000Z');
  });

  it('counts the runs between two times, up to a limit', () => {
    const minutely: Cadence = { cron: '* * * * *', timeZone: 'UTC' };
    const from = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(runsBetween(minutely, from, from + 10 * 60_000, 1000), 10);
    assert.equal(runsBetween(minutely, from, from + 10 * 60_000, 3), 3);
    assert.equal(runsBetween({ everyMs: 1000, timeZone: 'UTC' }, from, from + 5500, 1000), 5);
    assert.equal(runsBetween({ everyMs: 1000, timeZone: 'UTC' }, from, from, 1000), 0);
  });

  it('estimates the runs of a long downtime from the spacing of the first hundred', () => {
    const from = Date.parse('2026-01-01T00:00:00Z');
    const day = 24 * 3_600_000;
    const minutely: Cadence = { cron: '* * * * *', timeZone: 'Europe/Berlin' };
    assert.equal(runsBetween(minutely, from, from + day, 1_000_000), 1440);
    const ended: Cadence = { ...minutely, endTime: from + 3_600_000 };
    assert.equal(runsBetween(ended, from, from + day, 1_000_000), 60);
    const hourlyEvery: Cadence = {
      everyMs: 3_600_000,
      timeZone: 'UTC',
      endTime: from + 5 * 3_600_000,
    };
    assert.equal(runsBetween(hourlyEvery, from, from + day, 1000), 5);
  });
});
