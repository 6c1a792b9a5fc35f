// Original file: proto/scheduler/v1/scheduler.proto

import type { Long } from '@grpc/proto-loader';

export interface RedriveDeadJobsResponse {
  'redrivenCount'?: (number | string | Long);
}

export interface RedriveDeadJobsResponse__Output {
  'redrivenCount': (string);
}
