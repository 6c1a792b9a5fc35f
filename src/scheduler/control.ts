/**
 * Queue control for operators: the registry of queues, pausing, edits of waiting jobs and bulk
 * actions. Validates input and calls the store; who may do it is the transport's business (the
 * admin scope, and `visible` for ListQueues).
 */
import { invalidArgument } from './errors';
import { parseJobId } from './ids';
import type { CancelJobsResult, Job, QueuePage, QueueStats, QueueSummary } from './job';
import type { JobStore } from './store';
import { MAX_PRIORITY, NAME_PATTERN, checkCount, checkName } from './validation';

/** Most jobs one bulk call changes (CancelJobs, PurgeDeadJobs): bounds a script's run time. */
export const MAX_BULK = 10_000;
export const DEFAULT_BULK = 1000;

export class QueueControl {
  constructor(private readonly store: JobStore) {}

  /**
   * One page of the registry, sorted by name, only queues `visible` accepts (the caller's
   * grant); each with its counts, read from its own slot. The page token is the last name shown.
   */
  async listQueues(
    visible: (queue: string) => boolean,
    pageSize = 100,
    pageToken = '',
  ): Promise<QueuePage> {
    checkCount('page_size', pageSize, 1, 1000);
    if (pageToken !== '' && !NAME_PATTERN.test(pageToken))
      throw invalidArgument('page_token', 'not a token this server issued');
    const names = (await this.store.queues()).filter((q) => q > pageToken && visible(q));
    const page = names.slice(0, pageSize);
    const stats = await Promise.all(page.map((q) => this.store.stats(q)));
    return {
      queues: stats.map(summary),
      nextPageToken: names.length > pageSize ? page[page.length - 1]! : '',
    };
  }

  /** Pauses a queue (tenant empty) or one tenant of it; false when it already was. */
  async pause(queue: string, tenant = ''): Promise<boolean> {
    return this.store.setPaused(...checkTarget(queue, tenant), true);
  }

  /** Resumes a queue or one tenant; false when it was not paused. */
  async resume(queue: string, tenant = ''): Promise<boolean> {
    return this.store.setPaused(...checkTarget(queue, tenant), false);
  }

  /** Changes a pending or scheduled job's priority; returns the job as it is now. */
  async updatePriority(jobId: string, priority: number): Promise<Job> {
    const ref = parseJobId(jobId);
    await this.store.updatePriority(ref, checkCount('priority', priority, 0, MAX_PRIORITY));
    return this.store.get(ref);
  }

  /** Makes a scheduled job ready now; returns the job as it is now. */
  async promote(jobId: string): Promise<Job> {
    const ref = parseJobId(jobId);
    await this.store.promote(ref);
    return this.store.get(ref);
  }

  /** Cancels up to `limit` pending and scheduled jobs of a queue, or of one of its tenants. */
  async cancelJobs(
    queue: string,
    tenant = '',
    limit = DEFAULT_BULK,
    pageToken = '',
  ): Promise<CancelJobsResult> {
    checkTarget(queue, tenant);
    checkCount('limit', limit, 1, MAX_BULK);
    if (pageToken !== '' && !/^[0-9]{1,9}$/.test(pageToken))
      throw invalidArgument('page_token', 'not a token this server issued');
    return this.store.cancelJobs(queue, tenant, limit, pageToken);
  }

  /** Deletes up to `limit` of a queue's oldest dead jobs; how many went. */
  async purgeDead(queue: string, limit = DEFAULT_BULK): Promise<number> {
    checkName('queue', queue);
    return this.store.purgeDead(queue, checkCount('limit', limit, 1, MAX_BULK));
  }
}

function checkTarget(queue: string, tenant: string): [string, string] {
  checkName('queue', queue);
  if (tenant !== '') checkName('tenant_id', tenant);
  return [queue, tenant];
}

function summary(stats: QueueStats): QueueSummary {
  const { queue, counts, paused, oldestReadyAgeMs } = stats;
  return { queue, counts, paused, oldestReadyAgeMs };
}
