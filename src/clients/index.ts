/**
 * The TypeScript SDK of the priority scheduler: SchedulerClient to enqueue and inspect jobs,
 * Worker to lease and run them. See docs/api.md for the protocol underneath.
 */
export { SchedulerClient, type SchedulerClientOptions } from './client';
export type { ConnectionOptions, TlsOptions } from './connection';
export type { BackoffOptions } from './backoff';
export type { RetryOptions } from './unary';
export type { BatchingOptions } from './enqueue-batcher';
export {
  SchedulerClientError,
  isSchedulerClientError,
  PermanentError,
  permanent,
  isPermanentError,
  SnoozeError,
  snooze,
  JobFailedError,
  isJobFailedError,
  Status,
} from './errors';
export { decodeJson } from './convert';
export { Worker } from './worker';
export type { WorkerOptions, WorkerEvents, WorkerStats } from './worker-types';
export { JobCancelledError } from './running-job';
export type { JobHandler, JobContext } from './running-job';
export type { TraceContextMode } from './tracing';
export type * from './types';
export type * from './schedule-types';
