// Original file: proto/scheduler/v1/scheduler.proto

import type { EnqueueBatchResult as _scheduler_v1_EnqueueBatchResult, EnqueueBatchResult__Output as _scheduler_v1_EnqueueBatchResult__Output } from '../../scheduler/v1/EnqueueBatchResult';

export interface EnqueueBatchResponse {
  'results'?: (_scheduler_v1_EnqueueBatchResult)[];
}

export interface EnqueueBatchResponse__Output {
  'results': (_scheduler_v1_EnqueueBatchResult__Output)[];
}
