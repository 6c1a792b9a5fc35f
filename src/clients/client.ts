/**
 * SchedulerClient: the producer and admin side of the API (enqueue, inspect, cancel, dead
 * letters) plus unary Ack/Nack/ExtendLease for workers that do not use the Worker class.
 */
import type { AckResponse__Output } from '../generated/scheduler/v1/AckResponse';
import type { CancelJobResponse__Output } from '../generated/scheduler/v1/CancelJobResponse';
import type { EnqueueBatchResponse__Output } from '../generated/scheduler/v1/EnqueueBatchResponse';
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
import type { ListQueuesResponse__Output } from '../generated/scheduler/v1/ListQueuesResponse';
import type { PauseQueueResponse__Output } from '../generated/scheduler/v1/PauseQueueResponse';
import type { PromoteJobResponse__Output } from '../generated/scheduler/v1/PromoteJobResponse';
import type { PurgeDeadJobsResponse__Output } from '../generated/scheduler/v1/PurgeDeadJobsResponse';
import type { UpdateJobResponse__Output } from '../generated/scheduler/v1/UpdateJobResponse';
import { Connection, type ConnectionOptions } from './connection';
import {
  fromDuration,
  toCounts,
  toDate,
  toDuration,
  toEnqueueRequest,
  toJob,
  toJobState,
  toQueueStats,
} from './convert';
import { fromItemError } from './errors';
import type {
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
} from './types';
import { DEFAULT_DEADLINE_MS, DEFAULT_RETRY, UnaryCaller, type RetryOptions } from './unary';

/** How to reach the scheduler and how calls behave. */
export interface SchedulerClientOptions extends ConnectionOptions {
  /** Default overall deadline of a call, retries included, in milliseconds (default 10 s). */
  deadlineMs?: number;
  /** Retries of idempotent calls on UNAVAILABLE (default 5 attempts, 100 ms doubling to 2 s). */
  retry?: Partial<RetryOptions>;
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
 * ResumeQueue, UpdateJob, PromoteJob, and Enqueue or EnqueueBatch when every job has an
 * idempotency key (CancelJobs and PurgeDeadJobs are not: a retry would go past their limit).
 *
 * @example
 * const client = new SchedulerClient({ address: 'dns:///scheduler:50051' });
 * const { jobId } = await client.enqueue({ queue: 'emails', tenantId: 'acme', payload: '{}' });
 */
export class SchedulerClient {
  private readonly caller: UnaryCaller;
  private readonly connection: Connection;

  constructor(options: SchedulerClientOptions = {}) {
    this.connection = new Connection(options);
    const retry = { ...DEFAULT_RETRY, ...options.retry };
    this.caller = new UnaryCaller(
      this.connection,
      options.deadlineMs ?? DEFAULT_DEADLINE_MS,
      retry,
    );
    clientInternals.set(this, { connection: this.connection, caller: this.caller });
  }

  /** Enqueues one job. A repeated idempotency key returns the first job with `duplicate: true`. */
  async enqueue(job: EnqueueOptions, options?: CallOptions): Promise<EnqueueResult> {
    const res = await this.caller.call<EnqueueResponse__Output>(
      'Enqueue',
      (c, md, o, cb) => c.enqueue(toEnqueueRequest(job), md, o, cb),
      job.idempotencyKey !== undefined && job.idempotencyKey !== '',
      options,
    );
    return { jobId: res.jobId, tier: res.tier, duplicate: res.duplicate };
  }

  /**
   * Enqueues many jobs in one call. Each job gets its own result, in order: a bad job fails
   * alone (`ok: false` with the error and its field) and does not fail the others.
   */
  async enqueueBatch(jobs: EnqueueOptions[], options?: CallOptions): Promise<EnqueueBatchItem[]> {
    const requests = jobs.map(toEnqueueRequest);
    const res = await this.caller.call<EnqueueBatchResponse__Output>(
      'EnqueueBatch',
      (c, md, o, cb) => c.enqueueBatch({ requests }, md, o, cb),
      jobs.length > 0 && jobs.every((j) => j.idempotencyKey),
      options,
    );
    return res.results.map((r): EnqueueBatchItem => {
      if (r.job)
        return { ok: true, jobId: r.job.jobId, tier: r.job.tier, duplicate: r.job.duplicate };
      const error = r.error ?? { code: 13, message: 'no result for this item', field: '' };
      return { ok: false, error: fromItemError(error, 'EnqueueBatch') };
    });
  }

  /** A job by id, whatever its state. Rejects with NOT_FOUND for an unknown or expired id. */
  async getJob(jobId: string, options?: CallOptions): Promise<Job> {
    const res = await this.caller.call<GetJobResponse__Output>(
      'GetJob',
      (c, md, o, cb) => c.getJob({ jobId }, md, o, cb),
      true,
      options,
    );
    return toJob(requireJob(res.job, 'GetJob'));
  }

  /** Cancels a pending, scheduled or dead job; a leased job fails with FAILED_PRECONDITION. */
  async cancelJob(jobId: string, options?: CallOptions): Promise<Job> {
    const res = await this.caller.call<CancelJobResponse__Output>(
      'CancelJob',
      (c, md, o, cb) => c.cancelJob({ jobId }, md, o, cb),
      false,
      options,
    );
    return toJob(requireJob(res.job, 'CancelJob'));
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
    return toJob(requireJob(res.job, 'UpdateJob'));
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
    return toJob(requireJob(res.job, 'PromoteJob'));
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

  /** Marks a leased job done. A stale or expired lease id rejects with FAILED_PRECONDITION. */
  async ack(leaseId: string, options?: CallOptions): Promise<void> {
    await this.caller.call<AckResponse__Output>(
      'Ack',
      (c, md, o, cb) => c.ack({ leaseId }, md, o, cb),
      false,
      options,
    );
  }

  /** Gives a leased job back: retried after a backoff, or dead-lettered. */
  async nack(leaseId: string, nack: NackOptions = {}, options?: CallOptions): Promise<NackResult> {
    const req = {
      leaseId,
      error: nack.error ?? '',
      retryDelay: nack.retryDelayMs === undefined ? null : toDuration(nack.retryDelayMs),
      noRetry: nack.noRetry ?? false,
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

  /** Closes the channels. Close the Workers built on this client first. */
  close(): void {
    this.connection.close();
  }
}

function requireJob<T>(job: T | null, method: string): T {
  if (!job) throw new Error(`${method}: the server sent no job`);
  return job;
}
