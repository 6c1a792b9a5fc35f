/**
 * The queue-control RPCs (ListQueues, PauseQueue, ResumeQueue, UpdateJob, PromoteJob, CancelJobs,
 * PurgeDeadJobs): thin like the others in handlers.ts. Scopes come from METHOD_SCOPES (admin, but
 * ListQueues: read); each handler checks the queue and tenant its request touches.
 */
import type { handleUnaryCall } from '@grpc/grpc-js';
import type { SchedulerServiceHandlers } from '../generated/scheduler/v1/SchedulerService';
import { parseJobId } from '../scheduler/ids';
import type { Job } from '../scheduler/job';
import type { Grant } from './auth/grant';
import { toDuration, toProtoCounts, toProtoJob } from './convert';
import { visibleJob, wrapUnary, type HandlerDeps } from './handlers';

type ControlHandlers = Pick<
  SchedulerServiceHandlers,
  | 'ListQueues'
  | 'PauseQueue'
  | 'ResumeQueue'
  | 'UpdateJob'
  | 'PromoteJob'
  | 'CancelJobs'
  | 'PurgeDeadJobs'
>;

export function controlHandlers(deps: HandlerDeps): ControlHandlers {
  const { control, scheduler } = deps;
  const unary = <Req, Res>(
    method: string,
    run: (req: Req, grant: Grant) => Promise<Res>,
  ): handleUnaryCall<Req, Res> => wrapUnary(method, deps, run);
  /** A queue-wide action spans every tenant; a tenant's needs that tenant. */
  const requireTarget = (grant: Grant, method: string, queue: string, tenant: string): void => {
    grant.requireQueue(queue);
    if (tenant === '') grant.requireAllTenants(method, queue);
    else grant.requireTenant(tenant);
  };
  /**
   * As CancelJob: another tenant's job answers as a missing one; a job's tenant never changes, so
   * checking it first is race-free.
   */
  const requireJob = async (grant: Grant, jobId: string): Promise<void> => {
    grant.requireQueue(parseJobId(jobId).queue, 'job_id');
    if (!grant.allTenants) await visibleJob(scheduler, grant, jobId);
  };
  const jobResponse = (job: Job): { job: ReturnType<typeof toProtoJob> } => ({
    job: toProtoJob(job),
  });
  return {
    ListQueues: unary('ListQueues', async (req, grant) => {
      const visible = (queue: string): boolean => grant.queueDenied(queue) === undefined;
      const page = await control.listQueues(visible, req.pageSize || 100, req.pageToken);
      return {
        queues: page.queues.map((q) => ({
          queue: q.queue,
          counts: toProtoCounts(q.counts),
          paused: q.paused,
          oldestReadyAge: toDuration(q.oldestReadyAgeMs),
        })),
        nextPageToken: page.nextPageToken,
      };
    }),
    PauseQueue: unary('PauseQueue', async (req, grant) => {
      requireTarget(grant, 'PauseQueue', req.queue, req.tenantId);
      return { changed: await control.pause(req.queue, req.tenantId) };
    }),
    ResumeQueue: unary('ResumeQueue', async (req, grant) => {
      requireTarget(grant, 'ResumeQueue', req.queue, req.tenantId);
      const changed = await control.resume(req.queue, req.tenantId);
      // Other replicas hear the script's wake message; this one need not wait for it.
      if (changed) deps.dispatcher.notify(req.queue);
      return { changed };
    }),
    UpdateJob: unary('UpdateJob', async (req, grant) => {
      await requireJob(grant, req.jobId);
      return jobResponse(await control.updatePriority(req.jobId, req.priority));
    }),
    PromoteJob: unary('PromoteJob', async (req, grant) => {
      await requireJob(grant, req.jobId);
      const job = await control.promote(req.jobId);
      deps.dispatcher.notify(job.queue);
      return jobResponse(job);
    }),
    CancelJobs: unary('CancelJobs', async (req, grant) => {
      requireTarget(grant, 'CancelJobs', req.queue, req.tenantId);
      const result = await control.cancelJobs(
        req.queue,
        req.tenantId,
        req.limit || undefined,
        req.pageToken,
      );
      return { cancelledCount: result.cancelled, nextPageToken: result.nextPageToken };
    }),
    PurgeDeadJobs: unary('PurgeDeadJobs', async (req, grant) => {
      grant.requireQueue(req.queue);
      grant.requireAllTenants('PurgeDeadJobs', req.queue);
      return { purgedCount: await control.purgeDead(req.queue, req.limit || undefined) };
    }),
  };
}
