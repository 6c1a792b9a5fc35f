// Original file: proto/scheduler/v1/scheduler.proto

import type { Long } from '@grpc/proto-loader';

export interface StateCounts {
  'pending'?: (number | string | Long);
  'scheduled'?: (number | string | Long);
  'leased'?: (number | string | Long);
  'dead'?: (number | string | Long);
}

export interface StateCounts__Output {
  'pending': (string);
  'scheduled': (string);
  'leased': (string);
  'dead': (string);
}
