/**
 * Producer batching: `enqueue()` calls made close together (by default, in the same event-loop
 * turn) go to the server as one EnqueueBatch, the way the Pub/Sub clients batch publishes. Each
 * caller still gets its own result or its own error. Jobs with an idempotency key are batched
 * apart from jobs without one, so their batches stay retryable on UNAVAILABLE; a batch of one
 * job goes as a unary Enqueue. Calls with their own deadline or AbortSignal are not batched.
 */
import type { EnqueueRequest } from '../generated/scheduler/v1/EnqueueRequest';
import type { ItemError__Output } from '../generated/scheduler/v1/ItemError';
import { fromItemError } from './errors';
import type { EnqueueResult } from './types';

/** When a batch is sent: whichever limit is reached first. */
export interface BatchingOptions {
  /** Jobs per batch (default 100). */
  maxMessages: number;
  /** Payload and metadata bytes per batch, roughly as encoded (default 1 MiB). */
  maxBytes: number;
  /** How long the first job of a batch waits for more (default 0: the end of this turn). */
  maxDelayMs: number;
}

export const DEFAULT_BATCHING: BatchingOptions = {
  maxMessages: 100,
  maxBytes: 1024 * 1024,
  maxDelayMs: 0,
};

/** One job's outcome in an EnqueueBatch response. */
export type BatchItemOutcome = { result: EnqueueResult } | { error: ItemError__Output };

/** What a batch needs from the client: its two enqueue calls. */
export interface EnqueueCalls {
  one(req: EnqueueRequest, idempotent: boolean): Promise<EnqueueResult>;
  many(reqs: EnqueueRequest[], idempotent: boolean): Promise<BatchItemOutcome[]>;
}

interface Item {
  req: EnqueueRequest;
  resolve(result: EnqueueResult): void;
  reject(error: unknown): void;
}

const NO_RESULT: ItemError__Output = { code: 13, message: 'no result for this job', field: '' };

/** The batch's `requests[i].` prefix off an item's field and message, as a unary call names it. */
const ITEM_PREFIX = /^requests\[\d+\]\./;
function asUnary(error: ItemError__Output): ItemError__Output {
  return {
    ...error,
    field: error.field.replace(ITEM_PREFIX, ''),
    message: error.message.replace(ITEM_PREFIX, ''),
  };
}

class Batch {
  readonly items: Item[] = [];
  bytes = 0;
  timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
}

/** Rough encoded size of a request: enough to keep a batch under the server's message limit. */
function sizeOf(req: EnqueueRequest): number {
  let bytes = 32 + (req.queue?.length ?? 0) + (req.tenantId?.length ?? 0);
  bytes += req.payload?.length ?? 0;
  bytes += req.idempotencyKey?.length ?? 0;
  for (const [k, v] of Object.entries(req.headers ?? {})) bytes += k.length + v.length + 4;
  return bytes;
}

export class EnqueueBatcher {
  /** The open batch of keyed jobs (retryable) and of keyless ones. */
  private readonly open = new Map<boolean, Batch>();

  constructor(
    private readonly calls: EnqueueCalls,
    private readonly options: BatchingOptions,
  ) {
    const { maxMessages, maxBytes, maxDelayMs } = options;
    if (!Number.isInteger(maxMessages) || maxMessages < 1)
      throw new RangeError('batching.maxMessages: must be an integer of at least 1');
    if (!(maxBytes > 0)) throw new RangeError('batching.maxBytes: must be more than 0');
    if (!(maxDelayMs >= 0)) throw new RangeError('batching.maxDelayMs: must be at least 0');
  }

  add(req: EnqueueRequest): Promise<EnqueueResult> {
    const keyed = req.idempotencyKey !== undefined && req.idempotencyKey !== '';
    const size = sizeOf(req);
    let batch = this.open.get(keyed);
    if (batch && batch.bytes + size > this.options.maxBytes) {
      this.send(keyed);
      batch = undefined;
    }
    if (!batch) {
      batch = new Batch();
      this.open.set(keyed, batch);
      const flush = (): void => this.send(keyed);
      batch.timer =
        this.options.maxDelayMs > 0
          ? setTimeout(flush, this.options.maxDelayMs)
          : setImmediate(flush);
    }
    const open = batch;
    const result = new Promise<EnqueueResult>((resolve, reject) =>
      open.items.push({ req, resolve, reject }),
    );
    open.bytes += size;
    if (open.items.length >= this.options.maxMessages) this.send(keyed);
    return result;
  }

  /** Sends whatever is waiting now (the client is closing). */
  flush(): void {
    for (const keyed of [...this.open.keys()]) this.send(keyed);
  }

  private send(keyed: boolean): void {
    const batch = this.open.get(keyed);
    if (!batch) return;
    this.open.delete(keyed);
    clearTimeout(batch.timer as NodeJS.Timeout);
    clearImmediate(batch.timer as NodeJS.Immediate);
    const { items } = batch;
    if (items.length === 1) {
      const [only] = items as [Item];
      this.calls.one(only.req, keyed).then(
        (result) => only.resolve(result),
        (err: unknown) => only.reject(err),
      );
      return;
    }
    this.calls
      .many(
        items.map((i) => i.req),
        keyed,
      )
      .then(
        (results) =>
          items.forEach((item, i) => {
            const r = results[i] ?? { error: NO_RESULT };
            if ('result' in r) item.resolve(r.result);
            else item.reject(fromItemError(asUnary(r.error), 'Enqueue'));
          }),
        (err: unknown) => items.forEach((item) => item.reject(err)),
      );
  }
}
