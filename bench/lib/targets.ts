/**
 * The targets of issue 18 (and those of issue 8 still kept), read from the figures of the same
 * run. They are reported, not asserted: a benchmark on a shared 2-core machine is evidence to
 * read, not a pass/fail test. bench/results.json carries them as numbers.
 */
import { findRow, ratio, type Row, type Section } from './model';

export interface TargetResult {
  name: string;
  goal: string;
  /** The measured ratio (or ms); undefined when a figure it needs is missing. */
  measured: number | undefined;
  /** What `measured` is: a ratio (`x`) or milliseconds. */
  unit: 'x' | 'ms';
  /** undefined when not measured (scenario skipped or failed). */
  met: boolean | undefined;
}

type Check = (sections: Section[]) => TargetResult;
type Op = '>=' | '<=';
/** Which figure of each of two rows a target divides. */
type Pick = { a: (r: Row) => number | undefined; b: (r: Row) => number | undefined };

function result(name: string, goal: string, op: Op, bound: number, m?: number): TargetResult {
  const measured = m === undefined || !Number.isFinite(m) ? undefined : m;
  const met =
    measured === undefined ? undefined : op === '>=' ? measured >= bound : measured <= bound;
  return { name, goal, measured, unit: 'x', met };
}

/** A target on one row's us/peer ratio. */
function vsPeer(id: string, name: string, op: Op, goal: number, peer: 'bull' | 'nats'): Check {
  const who = peer === 'bull' ? 'BullMQ' : 'NATS';
  return (sections) => {
    const row = findRow(sections, id);
    return result(name, `us/${who} ${op} ${goal}`, op, goal, row && ratio(row, peer));
  };
}

/** A target on `pick(a)` over `pick(b)`, where the two figures sit in different rows. */
function across(a: string, b: string, name: string, op: Op, goal: number, pick: Pick): Check {
  return (sections) => {
    const ra = findRow(sections, a);
    const rb = findRow(sections, b);
    const top = ra && pick.a(ra);
    const bottom = rb && pick.b(rb);
    const m = top === undefined || !bottom ? undefined : top / bottom;
    return result(name, `${op} ${goal}x`, op, goal, m);
  };
}

const oursValue = (r: Row): number | undefined => r.ours?.value;
const bullValue = (r: Row): number | undefined => r.bull?.value;
const oursVsOurs = (a: string, b: string, name: string, op: Op, goal: number): Check =>
  across(a, b, name, op, goal, { a: oursValue, b: oursValue });

/** Redis time inside scripts per job (INFO commandstats). */
const scriptUs =
  (side: 'ours' | 'bull') =>
  (r: Row): number | undefined => {
    const s = r[side];
    return s?.redis && s.jobs ? s.redis.scriptUsec / s.jobs : undefined;
  };

/**
 * The server's own share of a delivery: our enqueue call minus a bare grpc-js unary call timed
 * with the same gaps (interleaved with ours in the latency scenario), plus the time from the
 * call's return to the handler. Percentiles do not add exactly; this sums those of each part,
 * which is what can be read from one run.
 */
function serverShare(p: 'p50' | 'p99', goalMs: number): Check {
  return (sections) => {
    const call = findRow(sections, `latency.call.${p}`)?.ours?.value;
    const bare = findRow(sections, `latency.bare.${p}`)?.ours?.value;
    const after = findRow(sections, `latency.after.${p}`)?.ours?.value;
    const m =
      call === undefined || bare === undefined || after === undefined
        ? undefined
        : Math.max(0, call - bare) + after;
    const name = `idle-worker delivery, the server's own share, ${p}`;
    return { ...result(name, `<= ${goalMs} ms`, '<=', goalMs, m), unit: 'ms' };
  };
}

/** The concurrencies a run drained (c=50 only in the full mode). */
function concurrencies(sections: Section[]): number[] {
  const found: number[] = [];
  for (const c of [1, 10, 50, 100]) if (findRow(sections, `e2e.c${c}`)) found.push(c);
  return found.length > 0 ? found : [1, 10, 50, 100];
}

const SDK_VS_BULL: Record<number, number> = { 1: 1, 10: 1.5, 50: 2, 100: 2 };

/** The SDK drain's row at concurrency c against the bare-worker row's figures. */
function sdkVsRow(c: number, name: string, op: Op, goal: number, pick: Pick): Check {
  return across(`e2e.sdk.c${c}`, `e2e.c${c}`, `${name}, concurrency ${c}`, op, goal, pick);
}

function perConcurrency(sections: Section[]): Check[] {
  return concurrencies(sections).flatMap((c) => [
    sdkVsRow(c, 'SDK Worker drain vs BullMQ', '>=', SDK_VS_BULL[c]!, {
      a: oursValue,
      b: bullValue,
    }),
    sdkVsRow(c, 'SDK Worker drain vs bare Lease worker', '>=', 0.9, { a: oursValue, b: oursValue }),
    sdkVsRow(c, 'Redis script time per job vs BullMQ', '<=', 0.5, {
      a: scriptUs('ours'),
      b: scriptUs('bull'),
    }),
  ]);
}

const FIXED: Check[] = [
  vsPeer('enqueue.sdk', 'SDK enqueue(), 100 in flight, vs queue.add', '>=', 1.5, 'bull'),
  vsPeer('latency.p50', 'idle-worker delivery p50', '<=', 1.5, 'bull'),
  serverShare('p50', 0.3),
  serverShare('p99', 1),
  vsPeer('enqueue.batch', 'EnqueueBatch of 1,000 vs addBulk', '>=', 2, 'bull'),
  oursVsOurs(
    'enqueue.unary',
    'ceiling.echo.unary',
    'unary Enqueue vs bare grpc-js unary',
    '>=',
    0.8,
  ),
  vsPeer('memory.perjob', 'Redis memory per queued job', '<=', 0.5, 'bull'),
  oursVsOurs(
    'scale.depth.big',
    'scale.depth.small',
    'lease throughput, deep vs shallow queue',
    '>=',
    0.9,
  ),
  oursVsOurs(
    'priority.flood.p99',
    'priority.empty.p99',
    'premium p99 wait, flood vs empty',
    '<=',
    2,
  ),
];

/** The long-run goal against the networked peer: the SDK Worker at c=50 (c=100 in quick mode). */
function vsNats(sections: Section[]): Check {
  const c = findRow(sections, 'e2e.c50') ? 50 : 100;
  const natsValue = (r: Row): number | undefined => r.nats?.value;
  return sdkVsRow(c, 'SDK Worker drain vs NATS JetStream (long-run goal)', '>=', 1, {
    a: oursValue,
    b: natsValue,
  });
}

export function checkTargets(sections: Section[]): TargetResult[] {
  return [...perConcurrency(sections), ...FIXED, vsNats(sections)].map((check) => check(sections));
}

/** The measured figure as RESULTS.md shows it. */
export function formatMeasured(t: TargetResult): string {
  if (t.measured === undefined) return 'not measured';
  return t.unit === 'ms' ? `${t.measured.toFixed(2)} ms` : `${t.measured.toFixed(2)}x`;
}

/** One entry of bench/results.json: the measured figure as a number, rounded for reading. */
export function targetEntry(t: TargetResult): {
  name: string;
  goal: string;
  measured: number | null;
  met: boolean | null;
} {
  const measured = t.measured === undefined ? null : Math.round(t.measured * 1000) / 1000;
  return { name: t.name, goal: t.goal, measured, met: t.met ?? null };
}
