/**
 * When a schedule fires: pure functions of its cadence and a time. Cron comes from croner, which
 * reads the fields in an IANA zone: a wall-clock time skipped when clocks go forward fires once at
 * the first valid instant after it (02:30 on a 02:00 -> 03:00 night fires at 03:00), and a wall-
 * clock time that happens twice when clocks go back fires once, at its first occurrence (patterns
 * that step through the hours, such as `*\/30 * * * *`, fire in both repeated hours: they are
 * different instants). `every` fires at multiples of itself from the Unix epoch, whatever the zone.
 */
import { Cron } from 'croner';
import type { Cadence } from './schedule';

/** Pattern parsing is the costly part; a runner evaluates the same few patterns over and over. */
const patterns = new Map<string, Cron>();
const MAX_CACHED = 10_000;

function cronOf(pattern: string, timeZone: string): Cron {
  const key = `${timeZone} ${pattern}`;
  let cron = patterns.get(key);
  if (!cron) {
    cron = new Cron(pattern, { timezone: timeZone, paused: true, mode: '5-or-6-parts' });
    if (patterns.size >= MAX_CACHED) patterns.clear();
    patterns.set(key, cron);
  }
  return cron;
}

/** Throws croner's error (its message names the bad part) for a pattern it cannot read. */
export function parseCron(pattern: string, timeZone: string): void {
  cronOf(pattern, timeZone);
}

/** The first fire time strictly after `after`, or undefined when there is none (past end_time). */
export function nextRun(cadence: Cadence, after: number): number | undefined {
  const from = Math.max(after, (cadence.startTime ?? -Infinity) - 1);
  const next = cadence.everyMs
    ? (Math.floor(from / cadence.everyMs) + 1) * cadence.everyMs
    : cronOf(cadence.cron ?? '', cadence.timeZone)
        .nextRun(new Date(from))
        ?.getTime();
  if (next === undefined || (cadence.endTime !== undefined && next > cadence.endTime)) return;
  return next;
}

/** Runs walked one by one before runsBetween estimates the rest (a cron step costs ~0.3 ms). */
const EXACT_RUNS = 100;

/**
 * Fire times in (from, to], up to `limit`: how many runs a late firing passes over (a metric).
 * Exact for `every`, and for cron up to 100 runs; beyond, the rest is estimated from the spacing
 * of those 100, so a long downtime costs no more than a short one.
 */
export function runsBetween(cadence: Cadence, from: number, to: number, limit: number): number {
  const until = Math.min(to, cadence.endTime ?? Infinity);
  if (cadence.everyMs) {
    const start = Math.max(from, (cadence.startTime ?? -Infinity) - 1);
    const n = Math.floor(until / cadence.everyMs) - Math.floor(start / cadence.everyMs);
    return Math.min(Math.max(n, 0), limit);
  }
  const first = nextRun(cadence, from);
  let t = first;
  let count = 0;
  for (; t !== undefined && t <= until && count < EXACT_RUNS; count++) t = nextRun(cadence, t);
  if (first !== undefined && t !== undefined && t <= until) {
    count += Math.floor((until - t) / ((t - first) / EXACT_RUNS)) + 1;
  }
  return Math.min(count, limit);
}
