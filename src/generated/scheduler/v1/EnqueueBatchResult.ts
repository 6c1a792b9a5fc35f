// Original file: proto/scheduler/v1/scheduler.proto

import type { EnqueueResponse as _scheduler_v1_EnqueueResponse, EnqueueResponse__Output as _scheduler_v1_EnqueueResponse__Output } from '../../scheduler/v1/EnqueueResponse';
import type { ItemError as _scheduler_v1_ItemError, ItemError__Output as _scheduler_v1_ItemError__Output } from '../../scheduler/v1/ItemError';

export interface EnqueueBatchResult {
  'job'?: (_scheduler_v1_EnqueueResponse | null);
  'error'?: (_scheduler_v1_ItemError | null);
  'result'?: "job"|"error";
}

export interface EnqueueBatchResult__Output {
  'job'?: (_scheduler_v1_EnqueueResponse__Output | null);
  'error'?: (_scheduler_v1_ItemError__Output | null);
  'result'?: "job"|"error";
}
