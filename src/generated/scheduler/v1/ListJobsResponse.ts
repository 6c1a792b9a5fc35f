// Original file: proto/scheduler/v1/scheduler.proto

import type { Job as _scheduler_v1_Job, Job__Output as _scheduler_v1_Job__Output } from '../../scheduler/v1/Job';

export interface ListJobsResponse {
  'jobs'?: (_scheduler_v1_Job)[];
  'nextPageToken'?: (string);
}

export interface ListJobsResponse__Output {
  'jobs': (_scheduler_v1_Job__Output)[];
  'nextPageToken': (string);
}
