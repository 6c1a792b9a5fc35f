// Original file: proto/scheduler/v1/scheduler.proto

import type { StateCounts as _scheduler_v1_StateCounts, StateCounts__Output as _scheduler_v1_StateCounts__Output } from '../../scheduler/v1/StateCounts';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

export interface QueueSummary {
  'queue'?: (string);
  'counts'?: (_scheduler_v1_StateCounts | null);
  'paused'?: (boolean);
  'oldestReadyAge'?: (_google_protobuf_Duration | null);
}

export interface QueueSummary__Output {
  'queue': (string);
  'counts': (_scheduler_v1_StateCounts__Output | null);
  'paused': (boolean);
  'oldestReadyAge': (_google_protobuf_Duration__Output | null);
}
