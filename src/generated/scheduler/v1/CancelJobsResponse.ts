// Original file: proto/scheduler/v1/scheduler.proto

import type { Long } from '@grpc/proto-loader';

export interface CancelJobsResponse {
  'cancelledCount'?: (number | string | Long);
  'nextPageToken'?: (string);
}

export interface CancelJobsResponse__Output {
  'cancelledCount': (string);
  'nextPageToken': (string);
}
