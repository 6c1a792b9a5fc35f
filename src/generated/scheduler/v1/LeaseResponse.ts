// Original file: proto/scheduler/v1/scheduler.proto

import type { LeasedJob as _scheduler_v1_LeasedJob, LeasedJob__Output as _scheduler_v1_LeasedJob__Output } from '../../scheduler/v1/LeasedJob';
import type { SettleResult as _scheduler_v1_SettleResult, SettleResult__Output as _scheduler_v1_SettleResult__Output } from '../../scheduler/v1/SettleResult';
import type { Long } from '@grpc/proto-loader';

export interface LeaseResponse {
  'jobs'?: (_scheduler_v1_LeasedJob)[];
  'settleErrors'?: (_scheduler_v1_SettleResult)[];
  'cancelled'?: (string)[];
  'settledThrough'?: (number | string | Long);
}

export interface LeaseResponse__Output {
  'jobs': (_scheduler_v1_LeasedJob__Output)[];
  'settleErrors': (_scheduler_v1_SettleResult__Output)[];
  'cancelled': (string)[];
  'settledThrough': (string);
}
