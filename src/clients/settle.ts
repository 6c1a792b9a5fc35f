/**
 * Settling a job through unary Ack/Nack, which any replica accepts: used when the stream the job
 * came on is gone (or half-closed), and to resend inline settles that a dying stream may have
 * dropped. Transient failures are retried until the lease would have ended anyway.
 */
import { status } from '@grpc/grpc-js';
import { backoffDelay, sleep } from './backoff';
import type { SchedulerClient } from './client';
import { isSchedulerClientError } from './errors';

/** An ack or a nack of one lease. */
export type Settle =
  | { leaseId: string; kind: 'ack'; result?: Buffer }
  | {
      leaseId: string;
      kind: 'nack';
      error: string;
      noRetry: boolean;
      snooze?: boolean;
      retryDelayMs?: number;
    };

const TRANSIENT = new Set<number>([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]);
const RETRY = { initialMs: 100, maxMs: 2000 };

function send(client: SchedulerClient, settle: Settle, deadlineMs: number): Promise<unknown> {
  const options = { deadlineMs };
  if (settle.kind === 'ack')
    return client.ack(settle.leaseId, { ...options, result: settle.result });
  const { error, noRetry, snooze, retryDelayMs } = settle;
  return client.nack(settle.leaseId, { error, noRetry, snooze, retryDelayMs }, options);
}

/**
 * Settles by unary call until it succeeds, fails for good, or `until` (epoch ms) passes. With
 * `resend`, FAILED_PRECONDITION means the first try already went through (or the lease ended):
 * either way there is nothing left to do, so it resolves.
 */
export async function settleUnary(
  client: SchedulerClient,
  settle: Settle,
  until: number,
  resend: boolean,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await send(client, settle, Math.max(1000, Math.min(10_000, until - Date.now())));
      return;
    } catch (err) {
      if (!isSchedulerClientError(err)) throw err;
      if (resend && err.code === status.FAILED_PRECONDITION) return;
      const delay = backoffDelay(attempt, RETRY);
      if (!TRANSIENT.has(err.code) || Date.now() + delay >= until) throw err;
      await sleep(delay);
    }
  }
}
