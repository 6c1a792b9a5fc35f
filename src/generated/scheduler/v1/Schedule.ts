// Original file: proto/scheduler/v1/scheduler.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { EnqueueRequest as _scheduler_v1_EnqueueRequest, EnqueueRequest__Output as _scheduler_v1_EnqueueRequest__Output } from '../../scheduler/v1/EnqueueRequest';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { MissedRunPolicy as _scheduler_v1_MissedRunPolicy, MissedRunPolicy__Output as _scheduler_v1_MissedRunPolicy__Output } from '../../scheduler/v1/MissedRunPolicy';

export interface Schedule {
  'queue'?: (string);
  'scheduleId'?: (string);
  'cron'?: (string);
  'every'?: (_google_protobuf_Duration | null);
  'timeZone'?: (string);
  'template'?: (_scheduler_v1_EnqueueRequest | null);
  'startTime'?: (_google_protobuf_Timestamp | null);
  'endTime'?: (_google_protobuf_Timestamp | null);
  'missedRuns'?: (_scheduler_v1_MissedRunPolicy);
  'paused'?: (boolean);
  'nextRunTime'?: (_google_protobuf_Timestamp | null);
  'lastRunTime'?: (_google_protobuf_Timestamp | null);
  'lastJobId'?: (string);
}

export interface Schedule__Output {
  'queue': (string);
  'scheduleId': (string);
  'cron': (string);
  'every': (_google_protobuf_Duration__Output | null);
  'timeZone': (string);
  'template': (_scheduler_v1_EnqueueRequest__Output | null);
  'startTime': (_google_protobuf_Timestamp__Output | null);
  'endTime': (_google_protobuf_Timestamp__Output | null);
  'missedRuns': (_scheduler_v1_MissedRunPolicy__Output);
  'paused': (boolean);
  'nextRunTime': (_google_protobuf_Timestamp__Output | null);
  'lastRunTime': (_google_protobuf_Timestamp__Output | null);
  'lastJobId': (string);
}
