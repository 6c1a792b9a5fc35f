/**
 * The targets of issue 8, read from the figures of the same run. They are reported, not
 * asserted: a benchmark on a shared 2-core machine is evidence to read, not a pass/fail test.
 */
import { findRow, ratio, type Section } from './model';

export interface TargetResult {
  name: string;
  goal: string;
  /** The measured figure, formatted. */
  measured: string;
  /** undefined when a figure it needs is missing (scenario skipped or failed). */
  met: boolean | undefined;
}

type Check = (sections: Section[]) => TargetResult;

const x = (v: number): string => `${v.toFixed(2)}x`;

/** A target on a us/BullMQ ratio of one row. */
function vsBull(id: string, name: string, op: '>=' | '<=', goal: number): Check {
  return (sections) => {
    const row = findRow(sections, id);
    const r = row && ratio(row);
    const goalText = `us/BullMQ ${op} ${goal}`;
    if (r === undefined) return { name, goal: goalText, measured: 'not measured', met: undefined };
    return { name, goal: goalText, measured: x(r), met: op === '>=' ? r >= goal : r <= goal };
  };
}

/** A target on our figure of one row against our figure of another. */
function oursVsOurs(a: string, b: string, name: string, op: '>=' | '<=', goal: number): Check {
  return (sections) => {
    const top = findRow(sections, a)?.ours?.value;
    const bottom = findRow(sections, b)?.ours?.value;
    const goalText = `${op} ${goal}x`;
    if (top === undefined || bottom === undefined || bottom === 0)
      return { name, goal: goalText, measured: 'not measured', met: undefined };
    const r = top / bottom;
    return { name, goal: goalText, measured: x(r), met: op === '>=' ? r >= goal : r <= goal };
  };
}

/** The first of several rows that was measured (c=50 exists only in the full mode). */
function firstOf(ids: string[], make: (id: string) => Check): Check {
  return (sections) => {
    const id = ids.find((i) => findRow(sections, i)?.ours) ?? ids[0]!;
    return make(id)(sections);
  };
}

const CHECKS: Check[] = [
  vsBull('e2e.c1', 'end-to-end drain, concurrency 1', '>=', 1),
  vsBull('e2e.c10', 'end-to-end drain, concurrency 10', '>=', 1.5),
  firstOf(['e2e.c50', 'e2e.c100'], (id) =>
    vsBull(id, `end-to-end drain, concurrency ${id.slice(5)}`, '>=', 1.5),
  ),
  vsBull('e2e.c100', 'end-to-end drain, concurrency 100', '>=', 1.5),
  vsBull('enqueue.batch', 'EnqueueBatch of 1,000 vs addBulk', '>=', 2),
  oursVsOurs(
    'enqueue.unary',
    'ceiling.echo.unary',
    'unary Enqueue vs bare grpc-js unary',
    '>=',
    0.8,
  ),
  vsBull('latency.p99', 'delivery latency p99', '<=', 1),
  vsBull('memory.perjob', 'Redis memory per queued job', '<=', 0.5),
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

export function checkTargets(sections: Section[]): TargetResult[] {
  const results = CHECKS.map((check) => check(sections));
  // c=50 and c=100 are the same row in quick mode: report it once.
  return results.filter((r, i) => results.findIndex((o) => o.name === r.name) === i);
}
