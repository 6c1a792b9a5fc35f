/**
 * The domain service: validates input, resolves tiers and calls the store. The transport (gRPC,
 * CLI, tests) talks to this class only.
 */
import { EnqueueCoalescer } from './enqueue-coalescer';
import { SchedulerError, invalidArgument, isSchedulerError } from './errors';
import { parseJobId, parseLeaseId, type LeaseRef } from './ids';
import { groupBy } from './group-by';
import type { Consumer } from './dispatch-group';
import type {
  AckBatch,
  JobPage,
  EnqueueInput,
  EnqueueResult,
  Job,
  JobState,
  LeaseBatch,
  NackInput,
  NackResult,
  QueueStats,
} from './job';
import { rateLimited, type RateLimiter } from './rate-limit';
import type { JobStore, ListableState, NewJob } from './store';
import type { TierResolver } from './tiers/resolver';
import {
  checkBytes,
  checkCount,
  checkDuration,
  checkEnqueue,
  checkName,
  clipError,
  TIER_PATTERN,
  type Limits,
} from './validation';

const LISTABLE: ListableState[] = ['pending', 'scheduled', 'leased', 'dead'];

export interface SchedulerOptions extends Limits {
  defaultMaxAttempts: number;
  maxBatchSize: number;
  maxLeaseCount: number;
  /** Most bytes of jobs on one listing page: clients commonly refuse messages over 4 MiB. */
  maxPageBytes: number;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = {
  maxPayloadBytes: 1024 * 1024,
  maxResultBytes: 64 * 1024,
  maxProgressBytes: 4 * 1024,
  maxAttemptsCap: 1000,
  defaultMaxAttempts: 5,
  maxBatchSize: 10_000,
  maxLeaseCount: 1000,
  maxPageBytes: 3.5 * 1024 * 1024,
};

/**
 * A per-item gate for a batch (the transport's authorization): an error rejects that item alone.
 * `index` is the item's position, for messages that name it.
 */
export type AdmitItem = (input: EnqueueInput, index: number) => SchedulerError | undefined;

export class Scheduler {
  private readonly singles: EnqueueCoalescer;

  constructor(
    private readonly store: JobStore,
    private readonly tiers: TierResolver,
    private readonly options: SchedulerOptions = DEFAULT_SCHEDULER_OPTIONS,
    /** Tenants' enqueue rates (TENANT_RATE_LIMIT); none: every request is admitted. */
    private readonly limiter?: RateLimiter,
  ) {
    this.singles = new EnqueueCoalescer(store, options.maxBatchSize);
  }

  async enqueue(input: EnqueueInput): Promise<EnqueueResult> {
    checkEnqueue(input, this.options);
    if (this.limiter) {
      const { granted, retryAfterMs } = await this.limiter.take(input.tenantId, 1);
      if (granted < 1) throw rateLimited(input.tenantId, retryAfterMs);
    }
    const tier = await this.tiers.resolve(input.tenantId);
    return this.singles.enqueue(this.newJob(input, tier));
  }

  /**
   * Each item gets its own result: a SchedulerError for an item that failed validation, without
   * failing the others: invalid, refused by `admit`, or over its tenant's rate (a tenant's
   * first items in request order get its remaining budget). Items of one queue are written in
   * one atomic script call.
   */
  async enqueueBatch(
    inputs: EnqueueInput[],
    admit?: AdmitItem,
  ): Promise<Array<EnqueueResult | SchedulerError>> {
    checkCount('requests', inputs.length, 0, this.options.maxBatchSize);
    const results: Array<EnqueueResult | SchedulerError> = new Array<
      EnqueueResult | SchedulerError
    >(inputs.length);
    const checked: number[] = [];
    inputs.forEach((input, i) => {
      try {
        checkEnqueue(input, this.options, `requests[${i}].`);
        const refused = admit?.(input, i);
        if (refused) results[i] = refused;
        else checked.push(i);
      } catch (err) {
        if (!isSchedulerError(err)) throw err;
        results[i] = err;
      }
    });
    const valid = await this.withinRate(inputs, checked, results);
    const tiers = await this.tiers.resolveMany([...new Set(valid.map((i) => inputs[i]!.tenantId))]);
    const byQueue = groupBy(valid, (i) => inputs[i]!.queue);
    await Promise.all(
      [...byQueue].map(async ([queue, indexes]) => {
        const jobs = indexes.map((i) => this.newJob(inputs[i]!, tiers.get(inputs[i]!.tenantId)!));
        const written = await this.store.enqueue(queue, jobs);
        indexes.forEach((i, k) => (results[i] = written[k]!));
      }),
    );
    return results;
  }

  /**
   * `visibilityMs`: one timeout for every job, or the i-th job's (`count` of them). `acks` of
   * this queue (checked by ackMany) are applied first, in the same store call.
   */
  async lease(
    queue: string,
    count: number,
    visibilityMs: number | readonly number[],
    acks?: AckBatch,
  ): Promise<LeaseBatch> {
    checkName('queue', queue);
    checkCount('credits', count, 1, this.options.maxLeaseCount);
    if (typeof visibilityMs === 'number') {
      const each = checkDuration('visibility_timeout', visibilityMs, 1);
      return this.store.lease(queue, count, each, acks);
    }
    if (visibilityMs.length !== count)
      throw invalidArgument('visibility_timeout', `needs one timeout per job (${count})`);
    const each = visibilityMs.map((ms) => checkDuration('visibility_timeout', ms, 1));
    return this.store.lease(queue, count, each, acks);
  }

  /** Acks of one queue, checked by ackMany, that found no lease call to ride on. */
  ackLeases(queue: string, acks: AckBatch): Promise<Array<SchedulerError | undefined>> {
    return this.store.ackMany(queue, acks.leases, acks.results);
  }

  /** `result` (empty: none) is kept as the job's result. */
  async ack(leaseId: string, result?: Buffer): Promise<void> {
    const lease = parseLeaseId(leaseId);
    const kept = result?.length
      ? checkBytes('result', result, this.options.maxResultBytes)
      : undefined;
    return this.store.ack(lease, kept);
  }

  /** The acks and nacks of one stream message: at most maxBatchSize, as for EnqueueBatch. */
  checkSettleCount(count: number): void {
    const max = this.options.maxBatchSize;
    if (count > max)
      throw invalidArgument('acks', `at most ${max} acks and nacks per message (got ${count})`);
  }

  /**
   * Acks many leases with one script call per queue (a worker's inline acks; `results[i]`, if
   * any, is lease i's result). Each lease gets its own outcome: undefined when acked, else the
   * error (malformed, stale, expired, result too big...).
   */
  async ackMany(
    leaseIds: string[],
    results: ReadonlyArray<Buffer | undefined> = [],
    /** A Lease stream's consumer: its queue's acks ride on its group's next lease call. */
    via?: Consumer,
  ): Promise<Array<SchedulerError | undefined>> {
    const outcomes = new Array<SchedulerError | undefined>(leaseIds.length);
    const parsed: Array<{ i: number; lease: LeaseRef }> = [];
    leaseIds.forEach((id, i) => {
      try {
        const result = results[i];
        if (result) checkBytes('result', result, this.options.maxResultBytes);
        parsed.push({ i, lease: parseLeaseId(id) });
      } catch (err) {
        if (!isSchedulerError(err)) throw err;
        outcomes[i] = err;
      }
    });
    const byQueue = groupBy(parsed, (item) => item.lease.queue);
    await Promise.all(
      [...byQueue].map(async ([queue, items]) => {
        const acks: AckBatch = {
          leases: items.map((item) => item.lease),
          results: items.map((item) => (results[item.i]?.length ? results[item.i] : undefined)),
        };
        const errors = await (via?.queue === queue
          ? via.ack(acks)
          : this.store.ackMany(queue, acks.leases, acks.results));
        items.forEach((item, k) => (outcomes[item.i] = errors[k]));
      }),
    );
    return outcomes;
  }

  async nack(input: NackInput): Promise<NackResult> {
    const lease = parseLeaseId(input.leaseId);
    const delay =
      input.retryDelayMs === undefined
        ? undefined
        : checkDuration('retry_delay', input.retryDelayMs);
    if (input.snooze) {
      const readyAt = await this.store.release(lease, delay ?? 0);
      return { state: delay ? 'scheduled' : 'pending', retryTime: readyAt };
    }
    return this.store.nack(lease, clipError(input.error ?? ''), delay, input.noRetry ?? false);
  }

  /** Replaces a leased job's progress (fenced by the lease, like an ack). */
  async reportProgress(leaseId: string, progress: Buffer): Promise<void> {
    const lease = parseLeaseId(leaseId);
    return this.store.progress(
      lease,
      checkBytes('progress', progress, this.options.maxProgressBytes),
    );
  }

  /**
   * Gives back a job that was never started: leased for a consumer that left before it was sent,
   * or prefetched by a worker that is closing. No attempt counted.
   */
  async release(leaseId: string): Promise<void> {
    await this.store.release(parseLeaseId(leaseId));
  }

  async extendLease(leaseId: string, visibilityMs: number): Promise<number> {
    const lease = parseLeaseId(leaseId);
    return this.store.extend(lease, checkDuration('visibility_timeout', visibilityMs, 1));
  }

  async getJob(jobId: string): Promise<Job> {
    return this.store.get(parseJobId(jobId));
  }

  async cancelJob(jobId: string): Promise<Job> {
    return this.store.cancel(parseJobId(jobId));
  }

  /** Names of the queues that have had jobs, sorted. */
  queues(): Promise<string[]> {
    return this.store.queues();
  }

  async stats(queue: string): Promise<QueueStats> {
    return this.store.stats(checkName('queue', queue));
  }

  async listDead(queue: string, pageSize = 100, pageToken = ''): Promise<JobPage> {
    return this.listJobs(queue, 'dead', { pageSize, pageToken });
  }

  /** Jobs in one state without changing them; `peek` is the pending list. */
  async listJobs(
    queue: string,
    state: JobState,
    page: { tier?: string; pageSize?: number; pageToken?: string } = {},
  ): Promise<JobPage> {
    checkName('queue', queue);
    if (!LISTABLE.includes(state as ListableState)) {
      throw invalidArgument('state', `must be one of ${LISTABLE.join(', ')}`);
    }
    if (page.tier && state !== 'pending') throw invalidArgument('tier', 'only for pending jobs');
    if (page.tier && !TIER_PATTERN.test(page.tier))
      throw invalidArgument('tier', 'not a tier name');
    const pageSize = checkCount('page_size', page.pageSize ?? 100, 1, 1000);
    const pageToken = page.pageToken ?? '';
    if (pageToken !== '' && !/^[0-9]{1,9}$/.test(pageToken)) {
      throw invalidArgument('page_token', 'not a token this server issued');
    }
    return this.store.listJobs({
      queue,
      state: state as ListableState,
      tier: page.tier,
      pageSize,
      pageToken,
      maxBytes: this.options.maxPageBytes,
    });
  }

  async redrive(queue: string, jobIds: string[] = [], limit = 1000): Promise<number> {
    checkName('queue', queue);
    checkCount('limit', limit, 1, 10_000);
    checkCount('job_ids', jobIds.length, 0, 10_000);
    const seqs = jobIds.map((id, i) => {
      const ref = parseJobId(id, `job_ids[${i}]`);
      if (ref.queue !== queue) {
        throw new SchedulerError('invalid_argument', `job_ids[${i}]: not a job of queue ${queue}`, {
          field: `job_ids[${i}]`,
        });
      }
      return ref.seq;
    });
    return this.store.redrive(queue, seqs, limit);
  }

  /** Takes each tenant's tokens for its items at once; the items past its budget fail. */
  private async withinRate(
    inputs: EnqueueInput[],
    indexes: number[],
    results: Array<EnqueueResult | SchedulerError>,
  ): Promise<number[]> {
    // No limit configured (the default): no grouping and no promise per tenant (a CPU profile of
    // the SDK's batched enqueues put ~3 % of the server's CPU in them).
    const limiter = this.limiter;
    if (!limiter) return indexes;
    const byTenant = groupBy(indexes, (i) => inputs[i]!.tenantId);
    const admitted = await Promise.all(
      [...byTenant].map(async ([tenant, items]) => {
        const { granted, retryAfterMs } = await limiter.take(tenant, items.length);
        for (const i of items.slice(granted)) results[i] = rateLimited(tenant, retryAfterMs);
        return items.slice(0, granted);
      }),
    );
    return admitted.flat().sort((a, b) => a - b);
  }

  /** Field by field: a spread of the input costs more CPU in big batches (docs/benchmarks.md). */
  private newJob(input: EnqueueInput, tier: string): NewJob {
    return {
      queue: input.queue,
      tenantId: input.tenantId,
      payload: input.payload,
      priority: input.priority ?? 0,
      idempotencyKey: input.idempotencyKey,
      delayMs: input.delayMs,
      maxAttempts: input.maxAttempts || this.options.defaultMaxAttempts,
      headers: input.headers,
      tier,
      ownCap: this.tiers.concurrencyOf(input.tenantId),
    };
  }
}
