// Original file: proto/scheduler/v1/scheduler.proto

import type { Job as _scheduler_v1_Job, Job__Output as _scheduler_v1_Job__Output } from '../../scheduler/v1/Job';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface LeasedJob {
  'job'?: (_scheduler_v1_Job | null);
  'leaseId'?: (string);
  'leaseExpireTime'?: (_google_protobuf_Timestamp | null);
}

export interface LeasedJob__Output {
  'job': (_scheduler_v1_Job__Output | null);
  'leaseId': (string);
  'leaseExpireTime': (_google_protobuf_Timestamp__Output | null);
}
