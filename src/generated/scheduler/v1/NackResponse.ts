// Original file: proto/scheduler/v1/scheduler.proto

import type { JobState as _scheduler_v1_JobState, JobState__Output as _scheduler_v1_JobState__Output } from '../../scheduler/v1/JobState';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface NackResponse {
  'state'?: (_scheduler_v1_JobState);
  'retryTime'?: (_google_protobuf_Timestamp | null);
}

export interface NackResponse__Output {
  'state': (_scheduler_v1_JobState__Output);
  'retryTime': (_google_protobuf_Timestamp__Output | null);
}
