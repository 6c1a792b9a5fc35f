/**
 * Bounded load loops and small statistics. Every loop here stops on a count and on a deadline,
 * whichever comes first, so a stuck system ends a scenario instead of hanging the run.
 */
import { performance } from 'node:perf_hooks';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const now = (): number => performance.now();

/**
 * A random 1-4 ms pause between one-at-a-time samples, so they do not line up with any timer;
 * every one-at-a-time loop uses it, so their figures compare like with like.
 */
export const sampleGap = (): Promise<void> => sleep(1 + Math.random() * 3);

/** Resolves like `pending`, or rejects once `ms` have passed. */
export function within<T>(ms: number, pending: Promise<T>, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
}

export interface LoopResult {
  /** Operations completed (calls). */
  ops: number;
  /** Jobs those operations carried (a batch call carries many). */
  jobs: number;
  seconds: number;
}

/**
 * Keeps `inFlight` calls of `op` running until `maxOps` were started or `ms` elapsed; `op`
 * resolves to the number of jobs it carried.
 */
export async function loadLoop(
  inFlight: number,
  ms: number,
  maxOps: number,
  op: (i: number) => Promise<number>,
): Promise<LoopResult> {
  const start = now();
  const deadline = start + ms;
  let started = 0;
  let ops = 0;
  let jobs = 0;
  const lane = async (): Promise<void> => {
    while (started < maxOps && now() < deadline) {
      // Not `jobs += await op()`: that reads `jobs` before the await and loses other lanes' adds.
      const carried = await op(started++);
      jobs += carried;
      ops += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return { ops, jobs, seconds: (now() - start) / 1000 };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[at]!;
}

export interface Spread {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function spread(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? NaN,
  };
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}
