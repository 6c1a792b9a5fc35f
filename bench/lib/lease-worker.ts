/**
 * The bench's bare Lease worker, as an SDK would write one: `concurrency` credits up front, each
 * job handed to a no-op handler, and the acks of everything handled in one turn of the event loop
 * sent back inline in one message that also grants the freed credits again. It is the shared raw
 * Lease stream of the tests (test/helpers/lease-stream.ts) with `autoAck`.
 */
import type * as grpc from '@grpc/grpc-js';
import type { LeasedJob__Output } from '../../src/generated/scheduler/v1/LeasedJob';
import { LeaseStream } from '../../test/helpers/lease-stream';
import type { Client } from './grpc';
import { now, within } from './timing';

export interface LeaseWorkerOptions {
  queue: string;
  concurrency: number;
  /** Called with each job as it arrives (the "handler"); `at` is performance.now(). */
  onJob?: (job: LeasedJob__Output, at: number) => void;
}

export class LeaseWorker extends LeaseStream {
  constructor(client: Client, options: LeaseWorkerOptions) {
    super(
      client,
      {
        queue: options.queue,
        visibilityTimeout: { seconds: 120 },
        credits: options.concurrency,
      },
      { autoAck: true, onJob: options.onJob },
    );
  }

  /** Half-closes after the last acks; the server ends the stream once they are applied. */
  finish(ms = 10_000): Promise<grpc.StatusObject> {
    this.end();
    return within(ms, this.status, 'lease stream end');
  }
}

/** Opens a worker, times until `jobs` have arrived and their acks were applied. */
export async function drain(
  client: Client,
  queue: string,
  concurrency: number,
  jobs: number,
  capMs: number,
): Promise<{ jobs: number; seconds: number; complete: boolean }> {
  const start = now();
  const worker = new LeaseWorker(client, { queue, concurrency });
  let complete = true;
  try {
    await worker.waitFor(jobs, capMs);
  } catch {
    complete = false;
  }
  if (complete) await worker.finish();
  else worker.cancel();
  return { jobs: worker.received, seconds: (now() - start) / 1000, complete };
}
