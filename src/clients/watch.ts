/**
 * Watching a job to its end: the WatchJob stream as an async iterator, and waiting for the final
 * job with a timeout. A watch that breaks on UNAVAILABLE (a replica going away) is opened again,
 * with backoff, on the next target: the server sends the job as it is now first, so nothing is
 * lost in between.
 */
import { status } from '@grpc/grpc-js';
import type { WatchJobResponse__Output } from '../generated/scheduler/v1/WatchJobResponse';
import { backoffDelay, sleep } from './backoff';
import type { Connection } from './connection';
import { toJob } from './convert';
import { JobFailedError, SchedulerClientError, toClientError } from './errors';
import type { Job, WaitOptions } from './types';
import { cancelled } from './unary';

const RETRY = { initialMs: 100, maxMs: 2000 };

/** Jobs in these states change no more. */
export function isFinalState(state: Job['state']): boolean {
  return state === 'succeeded' || state === 'dead' || state === 'cancelled';
}

/** One WatchJob stream: the job now, then on each change; ends after a final state. */
export async function* watchOnce(
  connection: Connection,
  jobId: string,
  signal?: AbortSignal,
): AsyncGenerator<Job> {
  if (signal?.aborted) throw cancelled('WatchJob', signal);
  const metadata = await connection.metadata();
  const call = connection.pick().watchJob({ jobId }, metadata);
  const onAbort = (): void => call.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const msg of call as AsyncIterable<WatchJobResponse__Output>) {
      if (msg.job) yield toJob(msg.job);
    }
  } catch (err) {
    throw signal?.aborted ? cancelled('WatchJob', signal) : toClientError(err, 'WatchJob');
  } finally {
    signal?.removeEventListener('abort', onAbort);
    call.cancel();
  }
}

/** watchOnce, opened again after UNAVAILABLE until the job is final or `signal` aborts. */
export async function* watchJob(
  connection: Connection,
  jobId: string,
  signal?: AbortSignal,
): AsyncGenerator<Job> {
  for (let attempt = 0; ; attempt++) {
    try {
      for await (const job of watchOnce(connection, jobId, signal)) {
        attempt = 0;
        yield job;
        if (isFinalState(job.state)) return;
      }
      return;
    } catch (err) {
      if (!(err instanceof SchedulerClientError) || err.code !== status.UNAVAILABLE) throw err;
      await sleep(backoffDelay(attempt, RETRY), signal).catch(() => {
        throw signal ? cancelled('WatchJob', signal) : err;
      });
    }
  }
}

/** The job once final: resolves when it succeeded, rejects with JobFailedError otherwise. */
export async function waitForJob(
  connection: Connection,
  jobId: string,
  options: WaitOptions = {},
): Promise<Job> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, options.timeoutMs);
  try {
    let last: Job | undefined;
    for await (const job of watchJob(connection, jobId, controller.signal)) last = job;
    if (!last || !isFinalState(last.state))
      throw new SchedulerClientError({
        code: status.INTERNAL,
        details: 'the watch ended before the job did',
        method: 'WatchJob',
      });
    if (last.state === 'succeeded') return last;
    throw new JobFailedError(last as Job & { state: 'dead' | 'cancelled' });
  } catch (err) {
    if (!timedOut) throw err;
    throw new SchedulerClientError({
      code: status.DEADLINE_EXCEEDED,
      details: `job ${jobId} did not finish within ${options.timeoutMs} ms`,
      method: 'WatchJob',
      cause: err,
    });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}
