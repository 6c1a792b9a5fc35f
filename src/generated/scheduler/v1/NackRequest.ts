// Original file: proto/scheduler/v1/scheduler.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

export interface NackRequest {
  'leaseId'?: (string);
  'error'?: (string);
  'retryDelay'?: (_google_protobuf_Duration | null);
  'noRetry'?: (boolean);
  'snooze'?: (boolean);
}

export interface NackRequest__Output {
  'leaseId': (string);
  'error': (string);
  'retryDelay': (_google_protobuf_Duration__Output | null);
  'noRetry': (boolean);
  'snooze': (boolean);
}
