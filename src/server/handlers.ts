/**
 * The unary RPCs of SchedulerService: each converts proto to domain, makes one Scheduler call and
 * converts back. Authentication, the method's scope, errors and timing are handled once, in
 * `unary`; each handler checks the queue (and tenant) its request touches against the caller's
 * grant. Enqueues also wake this replica's waiting Lease streams at once (other replicas hear it
 * through Redis pub/sub).
 */
import { status, type handleUnaryCall } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { EnqueueBatchResult } from '../generated/scheduler/v1/EnqueueBatchResult';
import type { SchedulerServiceHandlers } from '../generated/scheduler/v1/SchedulerService';
import type { QueueControl } from '../scheduler/control';
import type { Dispatcher } from '../scheduler/dispatcher';
import { groupBy } from '../scheduler/group-by';
import { ScriptCode, scriptError, type SchedulerError } from '../scheduler/errors';
import { parseJobId, parseLeaseId } from '../scheduler/ids';
import type { EnqueueResult, Job } from '../scheduler/job';
import type { Scheduler } from '../scheduler/scheduler';
import type { Schedules } from '../scheduler/schedules/service';
import {
  durationMs,
  toEnqueueInput,
  toNackResponse,
  fromProtoState,
  toProtoJob,
  toStatsResponse,
  toTimestamp,
} from './convert';
import type { Authenticator } from './auth/authenticator';
import type { Grant } from './auth/grant';
import { DEFAULT_VISIBILITY_MS } from './lease-stream';
import type { Metrics } from './metrics';
import { STATUS_OF, statusName, toWireError } from './status';
import type { Tracing } from './tracing';

export interface HandlerDeps {
  scheduler: Scheduler;
  control: QueueControl;
  schedules: Schedules;
  dispatcher: Pick<Dispatcher, 'notify'>;
  metrics: Metrics;
  log: Logger;
  auth: Authenticator;
  tracing: Tracing;
}

/** Every RPC but Lease (listed: the generated interface's index signature defeats Omit). */
type UnaryHandlers = Pick<
  SchedulerServiceHandlers,
  | 'Enqueue'
  | 'EnqueueBatch'
  | 'Ack'
  | 'Nack'
  | 'ExtendLease'
  | 'ReportProgress'
  | 'GetJob'
  | 'CancelJob'
  | 'GetQueueStats'
  | 'ListDeadJobs'
  | 'ListJobs'
  | 'RedriveDeadJobs'
>;

export function unaryHandlers(deps: HandlerDeps): UnaryHandlers {
  const { scheduler, tracing } = deps;
  const unary = <Req, Res>(
    method: string,
    run: (req: Req, grant: Grant) => Promise<Res>,
  ): handleUnaryCall<Req, Res> => wrapUnary(method, deps, run);
  /** Lease ids carry their queue: a worker may only settle jobs of queues it was granted. */
  const leaseQueue = (grant: Grant, leaseId: string): void =>
    grant.requireQueue(parseLeaseId(leaseId).queue, 'lease_id');
  return {
    Enqueue: unary('Enqueue', async (req, grant) => {
      grant.requireQueue(req.queue);
      grant.requireTenant(req.tenantId);
      const result = await tracing.send(
        [req],
        () => scheduler.enqueue(toEnqueueInput(req)),
        (r) => [r.jobId],
      );
      enqueued(deps, req.queue, [result]);
      return result;
    }),
    EnqueueBatch: unary('EnqueueBatch', async (req, grant) => {
      const results = await tracing.send(req.requests, () =>
        scheduler.enqueueBatch(
          req.requests.map(toEnqueueInput),
          (input, i) =>
            grant.queueDenied(input.queue, `requests[${i}].queue`) ??
            grant.tenantDenied(input.tenantId, `requests[${i}].tenant_id`),
        ),
      );
      const written = results.flatMap((r, i) =>
        r instanceof Error ? [] : [{ queue: req.requests[i]!.queue, result: r }],
      );
      for (const [queue, items] of groupBy(written, (w) => w.queue)) {
        enqueued(
          deps,
          queue,
          items.map((w) => w.result),
        );
      }
      return { results: results.map(toBatchResult) };
    }),
    Ack: unary('Ack', async (req, grant) => {
      leaseQueue(grant, req.leaseId);
      await tracing.settle('ack', [req.leaseId], () => scheduler.ack(req.leaseId, req.result));
      deps.metrics.countSettled(deps.metrics.jobsAcked, [req.leaseId]);
      return {};
    }),
    Nack: unary('Nack', async (req, grant) => {
      leaseQueue(grant, req.leaseId);
      const retryDelayMs = durationMs(req.retryDelay);
      const nack = {
        leaseId: req.leaseId,
        error: req.error,
        retryDelayMs,
        noRetry: req.noRetry,
        snooze: req.snooze,
      };
      const result = await tracing.settle('nack', [req.leaseId], () => scheduler.nack(nack));
      if (!req.snooze) deps.metrics.countSettled(deps.metrics.jobsNacked, [req.leaseId]);
      return toNackResponse(result);
    }),
    ReportProgress: unary('ReportProgress', async (req, grant) => {
      leaseQueue(grant, req.leaseId);
      await scheduler.reportProgress(req.leaseId, req.progress);
      return {};
    }),
    ExtendLease: unary('ExtendLease', async (req, grant) => {
      leaseQueue(grant, req.leaseId);
      const visibilityMs = durationMs(req.visibilityTimeout) ?? DEFAULT_VISIBILITY_MS;
      return {
        leaseExpireTime: toTimestamp(await scheduler.extendLease(req.leaseId, visibilityMs)),
      };
    }),
    GetJob: unary('GetJob', async (req, grant) => {
      grant.requireQueue(parseJobId(req.jobId).queue, 'job_id');
      return { job: toProtoJob(await visibleJob(scheduler, grant, req.jobId)) };
    }),
    CancelJob: unary('CancelJob', async (req, grant) => {
      grant.requireQueue(parseJobId(req.jobId).queue, 'job_id');
      // A job's tenant never changes, so checking it before cancelling is race-free.
      if (!grant.allTenants) await visibleJob(scheduler, grant, req.jobId);
      return { job: toProtoJob(await scheduler.cancelJob(req.jobId)) };
    }),
    GetQueueStats: unary('GetQueueStats', async (req, grant) => {
      grant.requireQueue(req.queue);
      return toStatsResponse(await scheduler.stats(req.queue));
    }),
    ListDeadJobs: unary('ListDeadJobs', async (req, grant) => {
      grant.requireQueue(req.queue);
      grant.requireAllTenants('ListDeadJobs', req.queue);
      const page = await scheduler.listDead(req.queue, req.pageSize || 100, req.pageToken);
      return { jobs: page.jobs.map(toProtoJob), nextPageToken: page.nextPageToken };
    }),
    ListJobs: unary('ListJobs', async (req, grant) => {
      grant.requireQueue(req.queue);
      grant.requireAllTenants('ListJobs', req.queue);
      const page = await scheduler.listJobs(req.queue, fromProtoState(req.state), {
        tier: req.tier,
        pageSize: req.pageSize || 100,
        pageToken: req.pageToken,
      });
      return { jobs: page.jobs.map(toProtoJob), nextPageToken: page.nextPageToken };
    }),
    RedriveDeadJobs: unary('RedriveDeadJobs', async (req, grant) => {
      grant.requireQueue(req.queue);
      grant.requireAllTenants('RedriveDeadJobs', req.queue);
      return { redrivenCount: await scheduler.redrive(req.queue, req.jobIds, req.limit || 1000) };
    }),
  };
}

/**
 * The job, if the caller's grant covers its tenant. A job of another tenant answers exactly as a
 * missing job does, so a tenant-limited token cannot learn which ids exist (no PERMISSION_DENIED
 * oracle). Every RPC that names a job by id checks it so (GetJob, WatchJob, CancelJob, UpdateJob,
 * PromoteJob).
 */
export async function visibleJob(
  scheduler: Pick<Scheduler, 'getJob'>,
  grant: Grant,
  jobId: string,
): Promise<Job> {
  const job = await scheduler.getJob(jobId);
  if (grant.tenantDenied(job.tenantId)) throw scriptError(ScriptCode.NO_SUCH_JOB, 'get', job.id);
  return job;
}

/** Authorizes and times the call, and maps a failure to its status (see status.ts). */
export function wrapUnary<Req, Res>(
  method: string,
  deps: HandlerDeps,
  run: (req: Req, grant: Grant) => Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const stop = deps.metrics.timeRpc(method);
    let caller: string | undefined;
    Promise.resolve()
      .then(() => {
        const grant = deps.auth.authorize(call.metadata, method);
        caller = grant.name;
        return run(call.request, grant);
      })
      .then(
        (response) => {
          stop('OK');
          callback(null, response);
        },
        (err: unknown) => {
          const wire = toWireError(err, { method, log: deps.log });
          if (REFUSED.has(wire.code))
            deps.log.info(
              { method, caller, peer: call.getPeer(), reason: wire.details },
              'refused',
            );
          stop(statusName(wire.code));
          callback(wire);
        },
      );
  };
}

/** Refusals are logged (never with the token): they are what an operator audits. */
export const REFUSED = new Set([status.UNAUTHENTICATED, status.PERMISSION_DENIED]);

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
