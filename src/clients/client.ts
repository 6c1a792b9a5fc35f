/**
 * SchedulerClient: the producer and admin side of the API (enqueue, inspect, cancel, dead
 * letters) plus unary Ack/Nack/ExtendLease for workers that do not use the Worker class.
 */
import type { AckResponse__Output } from '../generated/scheduler/v1/AckResponse';
import type { CancelJobResponse__Output } from '../generated/scheduler/v1/CancelJobResponse';
import type { EnqueueBatchResponse__Output } from '../generated/scheduler/v1/EnqueueBatchResponse';
import type { EnqueueRequest } from '../generated/scheduler/v1/EnqueueRequest';
import type { EnqueueResponse__Output } from '../generated/scheduler/v1/EnqueueResponse';
import type { ExtendLeaseResponse__Output } from '../generated/scheduler/v1/ExtendLeaseResponse';
import type { GetJobResponse__Output } from '../generated/scheduler/v1/GetJobResponse';
import type { GetQueueStatsResponse__Output } from '../generated/scheduler/v1/GetQueueStatsResponse';
import type { ListDeadJobsResponse__Output } from '../generated/scheduler/v1/ListDeadJobsResponse';
import type { JobState__Output } from '../generated/scheduler/v1/JobState';
import type { ListJobsResponse__Output } from '../generated/scheduler/v1/ListJobsResponse';
import type { NackResponse__Output } from '../generated/scheduler/v1/NackResponse';
import type { RedriveDeadJobsResponse__Output } from '../generated/scheduler/v1/RedriveDeadJobsResponse';
import type { CancelJobsResponse__Output } from '../generated/scheduler/v1/CancelJobsResponse';
import type { DeleteScheduleResponse__Output } from '../generated/scheduler/v1/DeleteScheduleResponse';
import type { GetScheduleResponse__Output } from '../generated/scheduler/v1/GetScheduleResponse';
import type { ListQueuesResponse__Output } from '../generated/scheduler/v1/ListQueuesResponse';
import type { ListSchedulesResponse__Output } from '../generated/scheduler/v1/ListSchedulesResponse';
import type { PauseQueueResponse__Output } from '../generated/scheduler/v1/PauseQueueResponse';
import type { PromoteJobResponse__Output } from '../generated/scheduler/v1/PromoteJobResponse';
import type { PurgeDeadJobsResponse__Output } from '../generated/scheduler/v1/PurgeDeadJobsResponse';
import type { UpdateJobResponse__Output } from '../generated/scheduler/v1/UpdateJobResponse';
import type { UpsertScheduleResponse__Output } from '../generated/scheduler/v1/UpsertScheduleResponse';
import { Connection, type ConnectionOptions } from './connection';
import {
  DEFAULT_BATCHING,
  EnqueueBatcher,
  type BatchItemOutcome,
  type BatchingOptions,
} from './enqueue-batcher';
import type { ReportProgressResponse__Output } from '../generated/scheduler/v1/ReportProgressResponse';
import {
  encodeValue,
  fromDuration,
  toBytes,
  toCounts,
  toDuration,
  toEnqueueRequest,
  toJob,
  toJobState,
  toDate,
  toQueueStats,
} from './convert';
import { fromItemError, SchedulerClientError, Status } from './errors';
import { toSchedule, toWireSchedule } from './schedule-convert';
import type { Schedule, ScheduleOptions, SchedulesPage } from './schedule-types';
import type {
  AckOptions,
  CallOptions,
  CancelJobsResult,
  QueuesPage,
  DeadJobsPage,
  EnqueueBatchItem,
  EnqueueOptions,
  EnqueueResult,
  Job,
  NackOptions,
  NackResult,
  QueueStats,
  WaitOptions,
} from './types';
import { DEFAULT_DEADLINE_MS, DEFAULT_RETRY, UnaryCaller, type RetryOptions } from './unary';
import { waitForJob, watchJob } from './watch';

/** How to reach the scheduler and how calls behave. */
export interface SchedulerClientOptions extends ConnectionOptions {
  /** Default overall deadline of a call, retries included, in milliseconds (default 10 s). */
  deadlineMs?: number;
  /** Retries of idempotent calls on UNAVAILABLE (default 5 attempts, 100 ms doubling to 2 s). */
  retry?: Partial<RetryOptions>;
  /**
   * `enqueue()` calls made together go to the server as one EnqueueBatch (default: up to 100
   * jobs or 1 MiB, sent at the end of the event-loop turn); `false` sends each on its own.
   */
  batching?: Partial<BatchingOptions> | false;
}

const clientInternals = new WeakMap<
  SchedulerClient,
  { connection: Connection; caller: UnaryCaller }
>();

/** The channels and caller of a client, for the Worker built on it (not part of the API). */
export function internalsOf(client: SchedulerClient): {
  connection: Connection;
  caller: UnaryCaller;
} {
  const internals = clientInternals.get(client);
  if (!internals) throw new Error('not a SchedulerClient');
  return internals;
}

/**
 * A client of the scheduler's gRPC API. Calls are promises that reject with a
 * SchedulerClientError. Only idempotent calls are retried: the reads, ListQueues, PauseQueue,
 * ResumeQueue, UpdateJob, PromoteJob, the schedule calls but DeleteSchedule, and Enqueue or
 * EnqueueBatch when every job has an idempotency key (CancelJobs and PurgeDeadJobs are not: a
 * retry would go past their limit).
 *
 * @example
 * const client = new SchedulerClient({ address: 'dns:///scheduler:50051' });
 * const { jobId } = await client.enqueue({ queue: 'emails', tenantId: 'acme', payload: '{}' });
 */
export class SchedulerClient {
  private readonly caller: UnaryCaller;
  private readonly connection: Connection;
  private readonly batcher: EnqueueBatcher | undefined;

  constructor(options: SchedulerClientOptions = {}) {
    this.connection = new Connection(options);
    const retry = { ...DEFAULT_RETRY, ...options.retry };
    this.caller = new UnaryCaller(
      this.connection,
      options.deadlineMs ?? DEFAULT_DEADLINE_MS,
      retry,
    );
    clientInternals.set(this, { connection: this.connection, caller: this.caller });
    if (options.batching !== false) {
      this.batcher = new EnqueueBatcher(
        {
          one: (req, idempotent) => this.enqueueOne(req, idempotent),
          many: (reqs, idempotent) => this.enqueueMany(reqs, idempotent),
        },
        { ...DEFAULT_BATCHING, ...options.batching },
      );
    }
  }

  /**
   * Enqueues one job. A repeated idempotency key returns the first job with `duplicate: true`.
   * Calls made in the same event-loop turn share one EnqueueBatch (see `batching`), unless they
   * pass their own `options`; each still resolves or rejects on its own.
   */
  async enqueue(job: EnqueueOptions, options?: CallOptions): Promise<EnqueueResult> {
    const req = toEnqueueRequest(job);
    const idempotent = job.idempotencyKey !== undefined && job.idempotencyKey !== '';
    const own = options?.deadlineMs !== undefined || options?.signal !== undefined;
    if (this.batcher && !own) return this.batcher.add(req);
    return this.enqueueOne(req, idempotent, options);
  }

  private async enqueueOne(
    req: EnqueueRequest,
    idempotent: boolean,
    options?: CallOptions,
  ): Promise<EnqueueResult> {
    const res = await this.caller.call<EnqueueResponse__Output>(
      'Enqueue',
      (c, md, o, cb) => c.enqueue(req, md, o, cb),
      idempotent,
      options,
    );
    return { jobId: res.jobId, tier: res.tier, duplicate: res.duplicate };
  }

  /** One EnqueueBatch call: a result or an item error per request, in order. */
  private async enqueueMany(
    requests: EnqueueRequest[],
    idempotent: boolean,
    options?: CallOptions,
  ): Promise<BatchItemOutcome[]> {
    const res = await this.caller.call<EnqueueBatchResponse__Output>(
      'EnqueueBatch',
      (c, md, o, cb) => c.enqueueBatch({ requests }, md, o, cb),
      idempotent,
      options,
    );
    return res.results.map((r) =>
      r.job
        ? { result: { jobId: r.job.jobId, tier: r.job.tier, duplicate: r.job.duplicate } }
        : { error: r.error ?? { code: 13, message: 'no result for this item', field: '' } },
    );
  }

  /**
   * Enqueues many jobs in one call. Each job gets its own result, in order: a bad job fails
   * alone (`ok: false` with the error and its field) and does not fail the others.
   */
  async enqueueBatch(jobs: EnqueueOptions[], options?: CallOptions): Promise<EnqueueBatchItem[]> {
    const idempotent = jobs.length > 0 && jobs.every((j) => j.idempotencyKey);
    const items = await this.enqueueMany(
      jobs.map((j) => toEnqueueRequest(j)),
      idempotent,
      options,
    );
    return items.map((item): EnqueueBatchItem =>
      'error' in item
        ? { ok: false, error: fromItemError(item.error, 'EnqueueBatch') }
        : { ok: true, ...item.result },
    );
  }

  /** A job by id, whatever its state. Rejects with NOT_FOUND for an unknown or expired id. */
  async getJob(jobId: string, options?: CallOptions): Promise<Job> {
    const res = await this.caller.call<GetJobResponse__Output>(
      'GetJob',
      (c, md, o, cb) => c.getJob({ jobId }, md, o, cb),
      true,
      options,
    );
    return toJob(required(res.job, 'GetJob'));
  }

  /**
   * Cancels a pending, scheduled, leased or dead job: it becomes `cancelled` for good. A leased
   * job's lease is fenced off and its Worker sees the handler's `signal` abort. A job that
   * already succeeded or was cancelled rejects with FAILED_PRECONDITION.
   */
  async cancelJob(jobId: string, options?: CallOptions): Promise<Job> {
    const res = await this.caller.call<CancelJobResponse__Output>(
      'CancelJob',
      (c, md, o, cb) => c.cancelJob({ jobId }, md, o, cb),
      false,
      options,
    );
    return toJob(required(res.job, 'CancelJob'));
  }

  /** Counts per state and per tier, and the age of the oldest ready job. */
  async getQueueStats(queue: string, options?: CallOptions): Promise<QueueStats> {
    const res = await this.caller.call<GetQueueStatsResponse__Output>(
      'GetQueueStats',
      (c, md, o, cb) => c.getQueueStats({ queue }, md, o, cb),
      true,
      options,
    );
    return toQueueStats(res);
  }

  /** One page of a queue's dead-letter set, oldest first (page size default 100, at most 1000). */
  async listDeadJobs(
    queue: string,
    page: { pageSize?: number; pageToken?: string } = {},
    options?: CallOptions,
  ): Promise<DeadJobsPage> {
    const req = { queue, pageSize: page.pageSize ?? 0, pageToken: page.pageToken ?? '' };
    const res = await this.caller.call<ListDeadJobsResponse__Output>(
      'ListDeadJobs',
      (c, md, o, cb) => c.listDeadJobs(req, md, o, cb),
      true,
      options,
    );
    return { jobs: res.jobs.map(toJob), nextPageToken: res.nextPageToken || undefined };
  }

  /**
   * One page of a queue's jobs in one state, without changing them: pending jobs oldest ready
   * first (all tiers merged, or `tier` only), scheduled by due time, leased by deadline, dead by
   * time of death. Page size default 100, at most 1000.
   */
  async listJobs(
    queue: string,
    query: {
      state: 'pending' | 'scheduled' | 'leased' | 'dead';
      tier?: string;
      pageSize?: number;
      pageToken?: string;
    },
    options?: CallOptions,
  ): Promise<DeadJobsPage> {
    const req = {
      queue,
      state: `JOB_STATE_${query.state.toUpperCase()}` as JobState__Output,
      tier: query.tier ?? '',
      pageSize: query.pageSize ?? 0,
      pageToken: query.pageToken ?? '',
    };
    const res = await this.caller.call<ListJobsResponse__Output>(
      'ListJobs',
      (c, md, o, cb) => c.listJobs(req, md, o, cb),
      true,
      options,
    );
    return { jobs: res.jobs.map(toJob), nextPageToken: res.nextPageToken || undefined };
  }

  /**
   * Brings dead jobs back to ready with fresh attempts: the given ids, or with none the oldest
   * dead jobs up to `limit` (default 1000). Resolves to how many were redriven.
   */
  async redriveDeadJobs(
    queue: string,
    select: { jobIds?: string[]; limit?: number } = {},
    options?: CallOptions,
  ): Promise<number> {
    const req = { queue, jobIds: select.jobIds ?? [], limit: select.limit ?? 0 };
    const res = await this.caller.call<RedriveDeadJobsResponse__Output>(
      'RedriveDeadJobs',
      (c, md, o, cb) => c.redriveDeadJobs(req, md, o, cb),
      false,
      options,
    );
    return Number(res.redrivenCount);
  }

  /**
   * One page of the queues this client's token is granted, sorted by name, each with its counts,
   * whether it is paused and its oldest ready age (page size default 100, at most 1000).
   */
  async listQueues(
    page: { pageSize?: number; pageToken?: string } = {},
    options?: CallOptions,
  ): Promise<QueuesPage> {
    const req = { pageSize: page.pageSize ?? 0, pageToken: page.pageToken ?? '' };
    const res = await this.caller.call<ListQueuesResponse__Output>(
      'ListQueues',
      (c, md, o, cb) => c.listQueues(req, md, o, cb),
      true,
      options,
    );
    return {
      queues: res.queues.map((q) => ({
        queue: q.queue,
        counts: toCounts(q.counts),
        paused: q.paused,
        oldestReadyAgeMs: fromDuration(q.oldestReadyAge),
      })),
      nextPageToken: res.nextPageToken || undefined,
    };
  }

  /**
   * Stops leasing from a queue, or with `tenantId` from that tenant's jobs of it, on every
   * replica until resumed. Enqueues and acks go on; leases out stay valid. Resolves to false
   * when it was already paused. Needs the admin scope.
   */
  async pauseQueue(queue: string, tenantId = '', options?: CallOptions): Promise<boolean> {
    const res = await this.caller.call<PauseQueueResponse__Output>(
      'PauseQueue',
      (c, md, o, cb) => c.pauseQueue({ queue, tenantId }, md, o, cb),
      true,
      options,
    );
    return res.changed;
  }

  /**
   * Undoes pauseQueue (the queue, or with `tenantId` one tenant); waiting workers get jobs at
   * once. Resolves to false when it was not paused. Needs the admin scope.
   */
  async resumeQueue(queue: string, tenantId = '', options?: CallOptions): Promise<boolean> {
    const res = await this.caller.call<PauseQueueResponse__Output>(
      'ResumeQueue',
      (c, md, o, cb) => c.resumeQueue({ queue, tenantId }, md, o, cb),
      true,
      options,
    );
    return res.changed;
  }

  /**
   * Changes the priority (0..9) of a pending or scheduled job; a pending job joins the back of
   * its new priority. A leased or finished job rejects with FAILED_PRECONDITION naming its state.
   * Needs the admin scope.
   */
  async updateJobPriority(jobId: string, priority: number, options?: CallOptions): Promise<Job> {
    const res = await this.caller.call<UpdateJobResponse__Output>(
      'UpdateJob',
      (c, md, o, cb) => c.updateJob({ jobId, priority }, md, o, cb),
      true,
      options,
    );
    return toJob(required(res.job, 'UpdateJob'));
  }

  /**
   * Makes a scheduled job ready now (a pending one is left as it is). A leased or finished job
   * rejects with FAILED_PRECONDITION naming its state. Needs the admin scope.
   */
  async promoteJob(jobId: string, options?: CallOptions): Promise<Job> {
    const res = await this.caller.call<PromoteJobResponse__Output>(
      'PromoteJob',
      (c, md, o, cb) => c.promoteJob({ jobId }, md, o, cb),
      true,
      options,
    );
    return toJob(required(res.job, 'PromoteJob'));
  }

  /**
   * Cancels pending and scheduled jobs of a queue, or of one tenant of it: at most `limit`
   * (default 1000, at most 10000) per call. While `nextPageToken` comes back, call again with it;
   * starting over without it is always safe. Leased jobs are left alone. Needs the admin scope.
   */
  async cancelJobs(
    queue: string,
    select: { tenantId?: string; limit?: number; pageToken?: string } = {},
    options?: CallOptions,
  ): Promise<CancelJobsResult> {
    const req = {
      queue,
      tenantId: select.tenantId ?? '',
      limit: select.limit ?? 0,
      pageToken: select.pageToken ?? '',
    };
    const res = await this.caller.call<CancelJobsResponse__Output>(
      'CancelJobs',
      (c, md, o, cb) => c.cancelJobs(req, md, o, cb),
      false,
      options,
    );
    return { cancelled: Number(res.cancelledCount), nextPageToken: res.nextPageToken || undefined };
  }

  /**
   * Deletes a queue's oldest dead jobs, at most `limit` (default 1000, at most 10000) per call;
   * resolves to how many went (0: none left). Needs the admin scope.
   */
  async purgeDeadJobs(queue: string, limit = 0, options?: CallOptions): Promise<number> {
    const res = await this.caller.call<PurgeDeadJobsResponse__Output>(
      'PurgeDeadJobs',
      (c, md, o, cb) => c.purgeDeadJobs({ queue, limit }, md, o, cb),
      false,
      options,
    );
    return Number(res.purgedCount);
  }

  /**
   * Marks a leased job done, with an optional `result` kept as the job's result. A stale or
   * expired lease id rejects with FAILED_PRECONDITION.
   */
  async ack(leaseId: string, options?: AckOptions): Promise<void> {
    const req = { leaseId, result: toBytes(options?.result) };
    await this.caller.call<AckResponse__Output>(
      'Ack',
      (c, md, o, cb) => c.ack(req, md, o, cb),
      false,
      options,
    );
  }

  /**
   * Records the progress of a job this worker holds (bytes as they are, anything else as JSON),
   * e.g. `{ percent: 40 }`; watchers see it at once. Fenced like an ack.
   */
  async reportProgress(leaseId: string, progress: unknown, options?: CallOptions): Promise<void> {
    const req = { leaseId, progress: encodeValue(progress) ?? Buffer.alloc(0) };
    await this.caller.call<ReportProgressResponse__Output>(
      'ReportProgress',
      (c, md, o, cb) => c.reportProgress(req, md, o, cb),
      false,
      options,
    );
  }

  /**
   * The job as it is now, then again on each change of its state or progress; the iteration
   * ends after a final state (`succeeded`, `dead`, `cancelled`). Breaking out of the loop or
   * aborting `signal` ends the watch. A replica going away is survived by watching again.
   *
   * @example
   * for await (const job of client.watchJob(jobId)) console.log(job.state, decodeJson(job.progress));
   */
  watchJob(jobId: string, options: { signal?: AbortSignal } = {}): AsyncIterable<Job> {
    return watchJob(this.connection, jobId, options.signal);
  }

  /**
   * Waits for a job to finish: resolves with the final job (its `result` included) when it
   * succeeded, rejects with a JobFailedError when it ended dead or cancelled, and with
   * DEADLINE_EXCEEDED after `timeoutMs`.
   */
  waitForJob(jobId: string, options?: WaitOptions): Promise<Job> {
    return waitForJob(this.connection, jobId, options);
  }

  /**
   * Enqueues a job and waits for it to finish (request/response over the queue): the final job
   * as `waitForJob` gives it. The timeout covers the wait, not the enqueue.
   */
  async enqueueAndWait(job: EnqueueOptions, options?: WaitOptions): Promise<Job> {
    const { jobId } = await this.enqueue(job, { signal: options?.signal });
    return this.waitForJob(jobId, options);
  }

  /** Gives a leased job back: retried after a backoff, or dead-lettered. */
  async nack(leaseId: string, nack: NackOptions = {}, options?: CallOptions): Promise<NackResult> {
    const req = {
      leaseId,
      error: nack.error ?? '',
      retryDelay: nack.retryDelayMs === undefined ? null : toDuration(nack.retryDelayMs),
      noRetry: nack.noRetry ?? false,
      snooze: nack.snooze ?? false,
    };
    const res = await this.caller.call<NackResponse__Output>(
      'Nack',
      (c, md, o, cb) => c.nack(req, md, o, cb),
      false,
      options,
    );
    return { state: toJobState(res.state), retryTime: toDate(res.retryTime) };
  }

  /** Moves a lease's deadline to now + `visibilityTimeoutMs`; resolves to the new deadline. */
  async extendLease(
    leaseId: string,
    visibilityTimeoutMs: number,
    options?: CallOptions,
  ): Promise<Date | undefined> {
    const req = { leaseId, visibilityTimeout: toDuration(visibilityTimeoutMs) };
    const res = await this.caller.call<ExtendLeaseResponse__Output>(
      'ExtendLease',
      (c, md, o, cb) => c.extendLease(req, md, o, cb),
      false,
      options,
    );
    return toDate(res.leaseExpireTime);
  }

  /**
   * Resolves once a channel to the scheduler is connected. Calls wait for one on their own, until
   * their deadline; this lets a tool fail fast, or a service check its configuration at start.
   *
   * @param timeoutMs how long to wait for a connection in progress (default 5 s)
   * @throws SchedulerClientError UNAVAILABLE `cannot connect to <address>` as soon as every
   *   target's connection attempt has failed (refused, unresolvable, TLS rejected), or at the
   *   timeout
   */
  async waitForReady(timeoutMs = 5_000): Promise<void> {
    try {
      await this.connection.untilReady(Date.now() + timeoutMs);
    } catch (err) {
      const details = err instanceof Error ? err.message : String(err);
      throw new SchedulerClientError({
        code: Status.UNAVAILABLE,
        details,
        method: 'WaitForReady',
        cause: err,
      });
    }
  }

  /**
   * Creates or replaces the schedule (queue, scheduleId); resolves to it with its next run time.
   * A changed schedule's next run is the first one after now (a change never fires a run by
   * itself); repeating the same upsert keeps the stored next run, so it is safe to retry and to
   * run at every deploy. Each run enqueues exactly one job whatever the number of scheduler
   * replicas. Needs the `schedule` scope and the queue and template tenant grants.
   *
   * @example
   * await client.upsertSchedule({
   *   queue: 'reports', scheduleId: 'daily-digest', cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin',
   *   template: { tenantId: 'acme', payload: '{"kind":"digest"}' },
   * });
   */
  async upsertSchedule(
    schedule: ScheduleOptions,
    options?: CallOptions,
  ): Promise<{ schedule: Schedule; created: boolean }> {
    const res = await this.caller.call<UpsertScheduleResponse__Output>(
      'UpsertSchedule',
      (c, md, o, cb) => c.upsertSchedule({ schedule: toWireSchedule(schedule) }, md, o, cb),
      true,
      options,
    );
    return {
      schedule: toSchedule(required(res.schedule, 'UpsertSchedule')),
      created: res.created,
    };
  }

  /** A schedule with its next and last run. Rejects with NOT_FOUND for an unknown one. */
  async getSchedule(queue: string, scheduleId: string, options?: CallOptions): Promise<Schedule> {
    const res = await this.caller.call<GetScheduleResponse__Output>(
      'GetSchedule',
      (c, md, o, cb) => c.getSchedule({ queue, scheduleId }, md, o, cb),
      true,
      options,
    );
    return toSchedule(required(res.schedule, 'GetSchedule'));
  }

  /** Deletes a schedule: it fires no more runs. Rejects with NOT_FOUND for an unknown one. */
  async deleteSchedule(queue: string, scheduleId: string, options?: CallOptions): Promise<void> {
    await this.caller.call<DeleteScheduleResponse__Output>(
      'DeleteSchedule',
      (c, md, o, cb) => c.deleteSchedule({ queue, scheduleId }, md, o, cb),
      false,
      options,
    );
  }

  /** One page of a queue's schedules by id (page size default 100, at most 1000). */
  async listSchedules(
    queue: string,
    page: { pageSize?: number; pageToken?: string } = {},
    options?: CallOptions,
  ): Promise<SchedulesPage> {
    const req = { queue, pageSize: page.pageSize ?? 0, pageToken: page.pageToken ?? '' };
    const res = await this.caller.call<ListSchedulesResponse__Output>(
      'ListSchedules',
      (c, md, o, cb) => c.listSchedules(req, md, o, cb),
      true,
      options,
    );
    return {
      schedules: res.schedules.map(toSchedule),
      nextPageToken: res.nextPageToken || undefined,
    };
  }

  /** Closes the channels. Close the Workers built on this client first. */
  close(): void {
    this.batcher?.flush();
    this.connection.close();
  }
}

function required<T>(job: T | null, method: string): T {
  if (!job) throw new Error(`${method}: the server sent no result`);
  return job;
}
