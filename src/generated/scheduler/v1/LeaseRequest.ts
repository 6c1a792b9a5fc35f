// Original file: proto/scheduler/v1/scheduler.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { LeaseNack as _scheduler_v1_LeaseNack, LeaseNack__Output as _scheduler_v1_LeaseNack__Output } from '../../scheduler/v1/LeaseNack';

export interface LeaseRequest {
  'queue'?: (string);
  'visibilityTimeout'?: (_google_protobuf_Duration | null);
  'credits'?: (number);
  'acks'?: (string)[];
  'nacks'?: (_scheduler_v1_LeaseNack)[];
  'releases'?: (string)[];
}

export interface LeaseRequest__Output {
  'queue': (string);
  'visibilityTimeout': (_google_protobuf_Duration__Output | null);
  'credits': (number);
  'acks': (string)[];
  'nacks': (_scheduler_v1_LeaseNack__Output)[];
  'releases': (string)[];
}
