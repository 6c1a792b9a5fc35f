// Original file: proto/scheduler/v1/scheduler.proto

import type { EnqueueRequest as _scheduler_v1_EnqueueRequest, EnqueueRequest__Output as _scheduler_v1_EnqueueRequest__Output } from '../../scheduler/v1/EnqueueRequest';

export interface EnqueueBatchRequest {
  'requests'?: (_scheduler_v1_EnqueueRequest)[];
}

export interface EnqueueBatchRequest__Output {
  'requests': (_scheduler_v1_EnqueueRequest__Output)[];
}
