// Original file: proto/scheduler/v1/scheduler.proto

import type { StateCounts as _scheduler_v1_StateCounts, StateCounts__Output as _scheduler_v1_StateCounts__Output } from '../../scheduler/v1/StateCounts';
import type { TierStats as _scheduler_v1_TierStats, TierStats__Output as _scheduler_v1_TierStats__Output } from '../../scheduler/v1/TierStats';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { Long } from '@grpc/proto-loader';

export interface GetQueueStatsResponse {
  'queue'?: (string);
  'counts'?: (_scheduler_v1_StateCounts | null);
  'tiers'?: (_scheduler_v1_TierStats)[];
  'oldestReadyAge'?: (_google_protobuf_Duration | null);
  'paused'?: (boolean);
  'pausedTenants'?: (string)[];
  'tenantsAtCap'?: (number);
  'backlog'?: (number | string | Long);
  'addRate'?: (number | string);
  'dispatchRate'?: (number | string);
  'rateWindow'?: (_google_protobuf_Duration | null);
}

export interface GetQueueStatsResponse__Output {
  'queue': (string);
  'counts': (_scheduler_v1_StateCounts__Output | null);
  'tiers': (_scheduler_v1_TierStats__Output)[];
  'oldestReadyAge': (_google_protobuf_Duration__Output | null);
  'paused': (boolean);
  'pausedTenants': (string)[];
  'tenantsAtCap': (number);
  'backlog': (string);
  'addRate': (number);
  'dispatchRate': (number);
  'rateWindow': (_google_protobuf_Duration__Output | null);
}
