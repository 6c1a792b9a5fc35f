// Original file: proto/scheduler/v1/scheduler.proto

import type { QueueSummary as _scheduler_v1_QueueSummary, QueueSummary__Output as _scheduler_v1_QueueSummary__Output } from '../../scheduler/v1/QueueSummary';

export interface ListQueuesResponse {
  'queues'?: (_scheduler_v1_QueueSummary)[];
  'nextPageToken'?: (string);
}

export interface ListQueuesResponse__Output {
  'queues': (_scheduler_v1_QueueSummary__Output)[];
  'nextPageToken': (string);
}
