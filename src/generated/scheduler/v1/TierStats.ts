// Original file: proto/scheduler/v1/scheduler.proto

import type { StateCounts as _scheduler_v1_StateCounts, StateCounts__Output as _scheduler_v1_StateCounts__Output } from '../../scheduler/v1/StateCounts';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { Long } from '@grpc/proto-loader';

export interface TierStats {
  'tier'?: (string);
  'weight'?: (number);
  'counts'?: (_scheduler_v1_StateCounts | null);
  'oldestReadyAge'?: (_google_protobuf_Duration | null);
  'enqueuedTotal'?: (number | string | Long);
  'ackedTotal'?: (number | string | Long);
  'nackedTotal'?: (number | string | Long);
  'deadTotal'?: (number | string | Long);
  'expiredTotal'?: (number | string | Long);
  'dispatchedTotal'?: (number | string | Long);
}

export interface TierStats__Output {
  'tier': (string);
  'weight': (number);
  'counts': (_scheduler_v1_StateCounts__Output | null);
  'oldestReadyAge': (_google_protobuf_Duration__Output | null);
  'enqueuedTotal': (string);
  'ackedTotal': (string);
  'nackedTotal': (string);
  'deadTotal': (string);
  'expiredTotal': (string);
  'dispatchedTotal': (string);
}
