/**
 * The unary RPCs of SchedulerService: each converts proto to domain, makes one Scheduler call and
 * converts back. Errors and timing are handled once, in `unary`. Enqueues also wake this
 * replica's waiting Lease streams at once (other replicas hear it through Redis pub/sub).
 */
import type { handleUnaryCall } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { EnqueueBatchResult } from '../generated/scheduler/v1/EnqueueBatchResult';
import type { SchedulerServiceHandlers } from '../generated/scheduler/v1/SchedulerService';
import type { Dispatcher } from '../scheduler/dispatcher';
import type { SchedulerError } from '../scheduler/errors';
import type { EnqueueResult } from '../scheduler/job';
import type { Scheduler } from '../scheduler/scheduler';
import {
  durationMs,
  toEnqueueInput,
  toNackResponse,
  fromProtoState,
  toProtoJob,
  toStatsResponse,
  toTimestamp,
} from './convert';
import { DEFAULT_VISIBILITY_MS } from './lease-stream';
import type { Metrics } from './metrics';
import { STATUS_OF, statusName, toWireError } from './status';

export interface HandlerDeps {
  scheduler: Scheduler;
  dispatcher: Pick<Dispatcher, 'notify'>;
  metrics: Metrics;
  log: Logger;
}

/** Every RPC but Lease (listed: the generated interface's index signature defeats Omit). */
type UnaryHandlers = Pick<
  SchedulerServiceHandlers,
  | 'Enqueue'
  | 'EnqueueBatch'
  | 'Ack'
  | 'Nack'
  | 'ExtendLease'
  | 'GetJob'
  | 'CancelJob'
  | 'GetQueueStats'
  | 'ListDeadJobs'
  | 'ListJobs'
  | 'RedriveDeadJobs'
>;

export function unaryHandlers(deps: HandlerDeps): UnaryHandlers {
  const { scheduler } = deps;
  const unary = <Req, Res>(
    method: string,
    run: (req: Req) => Promise<Res>,
  ): handleUnaryCall<Req, Res> => wrapUnary(method, deps, run);
  const queueOf = (id: string): string => deps.metrics.queue(id.slice(0, id.indexOf('/')));
  return {
    Enqueue: unary('Enqueue', async (req) => {
      const result = await scheduler.enqueue(toEnqueueInput(req));
      enqueued(deps, req.queue, [result]);
      return result;
    }),
    EnqueueBatch: unary('EnqueueBatch', async (req) => {
      const results = await scheduler.enqueueBatch(req.requests.map(toEnqueueInput));
      const byQueue = new Map<string, EnqueueResult[]>();
      results.forEach((r, i) => {
        if (r instanceof Error) return;
        const queue = req.requests[i]!.queue;
        byQueue.set(queue, [...(byQueue.get(queue) ?? []), r]);
      });
      for (const [queue, ok] of byQueue) enqueued(deps, queue, ok);
      return { results: results.map(toBatchResult) };
    }),
    Ack: unary('Ack', async (req) => {
      await scheduler.ack(req.leaseId);
      deps.metrics.jobsAcked.inc({ queue: queueOf(req.leaseId) });
      return {};
    }),
    Nack: unary('Nack', async (req) => {
      const retryDelayMs = durationMs(req.retryDelay);
      const result = await scheduler.nack({
        leaseId: req.leaseId,
        error: req.error,
        retryDelayMs,
        noRetry: req.noRetry,
      });
      deps.metrics.jobsNacked.inc({ queue: queueOf(req.leaseId) });
      return toNackResponse(result);
    }),
    ExtendLease: unary('ExtendLease', async (req) => {
      const visibilityMs = durationMs(req.visibilityTimeout) ?? DEFAULT_VISIBILITY_MS;
      return {
        leaseExpireTime: toTimestamp(await scheduler.extendLease(req.leaseId, visibilityMs)),
      };
    }),
    GetJob: unary('GetJob', async (req) => ({
      job: toProtoJob(await scheduler.getJob(req.jobId)),
    })),
    CancelJob: unary('CancelJob', async (req) => ({
      job: toProtoJob(await scheduler.cancelJob(req.jobId)),
    })),
    GetQueueStats: unary('GetQueueStats', async (req) =>
      toStatsResponse(await scheduler.stats(req.queue)),
    ),
    ListDeadJobs: unary('ListDeadJobs', async (req) => {
      const page = await scheduler.listDead(req.queue, req.pageSize || 100, req.pageToken);
      return { jobs: page.jobs.map(toProtoJob), nextPageToken: page.nextPageToken };
    }),
    ListJobs: unary('ListJobs', async (req) => {
      const page = await scheduler.listJobs(req.queue, fromProtoState(req.state), {
        tier: req.tier,
        pageSize: req.pageSize || 100,
        pageToken: req.pageToken,
      });
      return { jobs: page.jobs.map(toProtoJob), nextPageToken: page.nextPageToken };
    }),
    RedriveDeadJobs: unary('RedriveDeadJobs', async (req) => ({
      redrivenCount: await scheduler.redrive(req.queue, req.jobIds, req.limit || 1000),
    })),
  };
}

/** Times the call, and maps a failure to its status (see status.ts). */
function wrapUnary<Req, Res>(
  method: string,
  deps: HandlerDeps,
  run: (req: Req) => Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const stop = deps.metrics.timeRpc(method);
    run(call.request).then(
      (response) => {
        stop('OK');
        callback(null, response);
      },
      (err: unknown) => {
        const wire = toWireError(err, { method, log: deps.log });
        stop(statusName(wire.code));
        callback(wire);
      },
    );
  };
}

/** New jobs may be ready: wake this replica's streams on the queue, and count them. */
function enqueued(deps: HandlerDeps, queue: string, results: EnqueueResult[]): void {
  const fresh = results.filter((r) => !r.duplicate);
  if (fresh.length === 0) return;
  deps.dispatcher.notify(queue);
  const perTier = new Map<string, number>();
  for (const { tier } of fresh) perTier.set(tier, (perTier.get(tier) ?? 0) + 1);
  const label = deps.metrics.queue(queue);
  for (const [tier, n] of perTier) deps.metrics.jobsEnqueued.inc({ queue: label, tier }, n);
}

function toBatchResult(result: EnqueueResult | SchedulerError): EnqueueBatchResult {
  if (!(result instanceof Error)) return { job: result };
  return {
    error: { code: STATUS_OF[result.code], message: result.message, field: result.field ?? '' },
  };
}
