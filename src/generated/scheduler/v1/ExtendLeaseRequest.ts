// Original file: proto/scheduler/v1/scheduler.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

export interface ExtendLeaseRequest {
  'leaseId'?: (string);
  'visibilityTimeout'?: (_google_protobuf_Duration | null);
}

export interface ExtendLeaseRequest__Output {
  'leaseId': (string);
  'visibilityTimeout': (_google_protobuf_Duration__Output | null);
}
