// Original file: proto/scheduler/v1/scheduler.proto

import type { ItemError as _scheduler_v1_ItemError, ItemError__Output as _scheduler_v1_ItemError__Output } from '../../scheduler/v1/ItemError';

export interface SettleResult {
  'leaseId'?: (string);
  'error'?: (_scheduler_v1_ItemError | null);
}

export interface SettleResult__Output {
  'leaseId': (string);
  'error': (_scheduler_v1_ItemError__Output | null);
}
