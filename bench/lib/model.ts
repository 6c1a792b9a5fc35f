/**
 * What scenarios hand back: rows of figures for our scheduler and BullMQ side by side, each with
 * the CPU split and Redis time that explain it. The report renders these; targets read them by id.
 */
import type { CpuShare } from './cpu';
import type { RedisReading } from './redis';

/** One system's figure for one row, with what it cost. */
export interface Sample {
  value: number;
  /** Jobs the figure covers (for per-job costs). */
  jobs?: number;
  cpu?: CpuShare;
  redis?: RedisReading;
  /** Cut short by its time cap: the value is a partial rate. */
  partial?: boolean;
}

export interface Row {
  /** Stable id targets refer to, e.g. `e2e.c10`. */
  id: string;
  label: string;
  unit: string;
  /** Which way is better; `none` for reference figures (ceilings). */
  better: 'higher' | 'lower' | 'none';
  ours?: Sample;
  bull?: Sample;
  /** NATS JetStream, the networked peer, where the scenario runs it. */
  nats?: Sample;
  note?: string;
}

export interface Section {
  id: string;
  title: string;
  /** What the scenario does, in one paragraph. */
  method: string;
  rows: Row[];
  notes: string[];
  seconds: number;
  error?: string;
}

/** us / BullMQ (or us / NATS); undefined when either side is missing or zero. */
export function ratio(row: Row, peer: 'bull' | 'nats' = 'bull'): number | undefined {
  const ours = row.ours?.value;
  const theirs = row[peer]?.value;
  if (ours === undefined || theirs === undefined || theirs === 0 || !Number.isFinite(theirs))
    return;
  return ours / theirs;
}

/** True when our figure is the worse one (a row where we lose). */
export function weLose(row: Row): boolean {
  const r = ratio(row);
  if (r === undefined || row.better === 'none') return false;
  return row.better === 'higher' ? r < 1 : r > 1;
}

export function findRow(sections: Section[], id: string): Row | undefined {
  for (const section of sections) {
    const row = section.rows.find((r) => r.id === id);
    if (row) return row;
  }
  return undefined;
}
