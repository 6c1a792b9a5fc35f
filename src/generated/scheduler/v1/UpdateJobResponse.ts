// Original file: proto/scheduler/v1/scheduler.proto

import type { Job as _scheduler_v1_Job, Job__Output as _scheduler_v1_Job__Output } from '../../scheduler/v1/Job';

export interface UpdateJobResponse {
  'job'?: (_scheduler_v1_Job | null);
}

export interface UpdateJobResponse__Output {
  'job': (_scheduler_v1_Job__Output | null);
}
