/**
 * BullMQ on the same redis-server, driven the way its docs recommend: a Queue to add, a Worker
 * with a no-op async processor at the same concurrency as our Lease worker. Jobs carry a
 * priority (BullMQ: lower runs first) because ours are always prioritized, and BullMQ's priority
 * path (a sorted set) costs more than its plain FIFO list: comparing with the list would flatter
 * BullMQ on work our scheduler always does.
 */
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { BenchRedis } from './redis';
import { now, within } from './timing';

export interface BullData {
  /** Send time (performance.now()) for latency samples; 0 when unused. */
  t: number;
  /** Kind of job, for the priority scenario. */
  k: 'premium' | 'free';
  p: string;
}

export function bullConnection(redis: BenchRedis): ConnectionOptions {
  return { host: redis.host, port: redis.port, maxRetriesPerRequest: null };
}

export function bullQueue(redis: BenchRedis, name: string): Queue<BullData> {
  return new Queue<BullData>(name, { connection: bullConnection(redis) });
}

/** Our priority 0..9 (higher first) as BullMQ's 1..10 (lower first). */
export function bullPriority(ours: number): number {
  return 10 - ours;
}

export function bullData(payloadBytes: number, k: BullData['k'] = 'free', t = 0): BullData {
  return { t, k, p: 'x'.repeat(payloadBytes) };
}

/** addBulk in chunks of `batch`; `make(i)` gives job i's data and our-scale priority. */
export async function bullFill(
  queue: Queue<BullData>,
  n: number,
  batch: number,
  make: (i: number) => { data: BullData; priority: number },
): Promise<void> {
  for (let from = 0; from < n; from += batch) {
    const size = Math.min(batch, n - from);
    await queue.addBulk(
      Array.from({ length: size }, (_, k) => {
        const { data, priority } = make(from + k);
        return { name: 'job', data, opts: { priority: bullPriority(priority) } };
      }),
    );
  }
}

export interface BullWorkerHandle {
  /** Starts fetching jobs (connections are already up, so timing can start here). */
  run(): void;
  completed(): number;
  failed(): number;
  /** Resolves once `n` jobs completed in all, or rejects after `ms`. */
  waitFor(n: number, ms: number): Promise<void>;
  close(): Promise<void>;
}

/** A connected Worker whose processor only calls `onJob`; `run()` starts it. */
export async function startBullWorker(
  redis: BenchRedis,
  name: string,
  concurrency: number,
  onJob?: (job: Job<BullData>, at: number) => void,
): Promise<BullWorkerHandle> {
  const worker = new Worker<BullData>(
    name,
    (job) => {
      onJob?.(job, now());
      return Promise.resolve();
    },
    { connection: bullConnection(redis), concurrency, autorun: false },
  );
  let completed = 0;
  let failed = 0;
  let waiters: Array<{ n: number; resolve: () => void }> = [];
  worker.on('completed', () => {
    completed += 1;
    waiters = waiters.filter((w) => (completed >= w.n ? (w.resolve(), false) : true));
  });
  worker.on('failed', () => (failed += 1));
  worker.on('error', () => undefined); // counted through `failed`; a closing worker may log here
  await worker.waitUntilReady();
  return {
    run: () => void worker.run().catch(() => undefined),
    completed: () => completed,
    failed: () => failed,
    waitFor: (n, ms) => {
      if (completed >= n) return Promise.resolve();
      const reached = new Promise<void>((resolve) => waiters.push({ n, resolve }));
      return within(ms, reached, `waiting for ${n} BullMQ jobs (got ${completed})`);
    },
    close: () => within(15_000, worker.close(), 'BullMQ worker close'),
  };
}

/** Times a Worker from start until `jobs` jobs completed (moved to completed in Redis). */
export async function bullDrain(
  redis: BenchRedis,
  name: string,
  concurrency: number,
  jobs: number,
  capMs: number,
): Promise<{ jobs: number; seconds: number; complete: boolean }> {
  const worker = await startBullWorker(redis, name, concurrency);
  const start = now();
  worker.run();
  let complete = true;
  try {
    await worker.waitFor(jobs, capMs);
  } catch {
    complete = false;
  }
  const seconds = (now() - start) / 1000;
  const done = worker.completed();
  await worker.close();
  return { jobs: done, seconds, complete };
}
