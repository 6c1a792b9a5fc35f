// Original file: proto/scheduler/v1/scheduler.proto

import type { Long } from '@grpc/proto-loader';

export interface PurgeDeadJobsResponse {
  'purgedCount'?: (number | string | Long);
}

export interface PurgeDeadJobsResponse__Output {
  'purgedCount': (string);
}
