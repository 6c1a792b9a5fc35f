// Original file: proto/scheduler/v1/scheduler.proto

import type { JobState as _scheduler_v1_JobState, JobState__Output as _scheduler_v1_JobState__Output } from '../../scheduler/v1/JobState';

export interface ListJobsRequest {
  'queue'?: (string);
  'state'?: (_scheduler_v1_JobState);
  'tier'?: (string);
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListJobsRequest__Output {
  'queue': (string);
  'state': (_scheduler_v1_JobState__Output);
  'tier': (string);
  'pageSize': (number);
  'pageToken': (string);
}
