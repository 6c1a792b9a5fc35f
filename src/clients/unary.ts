/**
 * Runs one unary call: an overall deadline, the bearer token, cancellation by AbortSignal, and,
 * for idempotent calls only, retries with backoff on UNAVAILABLE, each on the next target. Other
 * calls are tried once: a lost reply could hide a success, and repeating it is not safe.
 */
import { status, type CallOptions as GrpcCallOptions, type ClientUnaryCall } from '@grpc/grpc-js';
import type * as grpc from '@grpc/grpc-js';
import { backoffDelay, sleep, type BackoffOptions } from './backoff';
import type { Connection } from './connection';
import { SchedulerClientError, toClientError } from './errors';
import type { RawClient } from './proto';
import type { CallOptions } from './types';

/** Starts one attempt of a call on a client. */
export type Invoke<Res> = (
  client: RawClient,
  metadata: grpc.Metadata,
  options: GrpcCallOptions,
  callback: grpc.requestCallback<Res>,
) => ClientUnaryCall;

/** Retries of idempotent calls. */
export interface RetryOptions extends BackoffOptions {
  /** Attempts in all, the first included (default 5). The deadline still bounds them. */
  maxAttempts: number;
}

export const DEFAULT_DEADLINE_MS = 10_000;
export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 5, initialMs: 100, maxMs: 2_000 };

export class UnaryCaller {
  constructor(
    private readonly connection: Connection,
    private readonly deadlineMs: number,
    private readonly retry: RetryOptions,
  ) {}

  async call<Res>(
    method: string,
    invoke: Invoke<Res>,
    idempotent: boolean,
    options: CallOptions = {},
  ): Promise<Res> {
    const deadline = Date.now() + (options.deadlineMs ?? this.deadlineMs);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(method, invoke, deadline, options.signal);
      } catch (err) {
        const delay = backoffDelay(attempt, this.retry);
        const retryable = idempotent && isSchedulerUnavailable(err) && !options.signal?.aborted;
        const more = attempt + 1 < this.retry.maxAttempts && Date.now() + delay < deadline;
        if (!retryable || !more) throw err;
        await sleep(delay, options.signal).catch(() => {
          throw err;
        });
      }
    }
  }

  private async once<Res>(
    method: string,
    invoke: Invoke<Res>,
    deadline: number,
    signal: AbortSignal | undefined,
  ): Promise<Res> {
    if (signal?.aborted) throw cancelled(method, signal);
    const metadata = await this.connection.metadata();
    return new Promise<Res>((resolve, reject) => {
      const onAbort = (): void => call.cancel();
      const call = invoke(this.connection.pick(), metadata, { deadline }, (err, res) => {
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(signal?.aborted ? cancelled(method, signal) : toClientError(err, method));
        else resolve(res as Res);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function isSchedulerUnavailable(err: unknown): boolean {
  return err instanceof SchedulerClientError && err.code === status.UNAVAILABLE;
}

/** The error of a call its caller cancelled through its AbortSignal. */
export function cancelled(method: string, signal: AbortSignal): SchedulerClientError {
  return new SchedulerClientError({
    code: status.CANCELLED,
    details: 'cancelled by the caller',
    method,
    cause: signal.reason,
  });
}
