// Original file: proto/scheduler/v1/scheduler.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { LeaseNack as _scheduler_v1_LeaseNack, LeaseNack__Output as _scheduler_v1_LeaseNack__Output } from '../../scheduler/v1/LeaseNack';
import type { AckRequest as _scheduler_v1_AckRequest, AckRequest__Output as _scheduler_v1_AckRequest__Output } from '../../scheduler/v1/AckRequest';
import type { ReportProgressRequest as _scheduler_v1_ReportProgressRequest, ReportProgressRequest__Output as _scheduler_v1_ReportProgressRequest__Output } from '../../scheduler/v1/ReportProgressRequest';

export interface LeaseRequest {
  'queue'?: (string);
  'visibilityTimeout'?: (_google_protobuf_Duration | null);
  'credits'?: (number);
  'acks'?: (string)[];
  'nacks'?: (_scheduler_v1_LeaseNack)[];
  'releases'?: (string)[];
  'resultAcks'?: (_scheduler_v1_AckRequest)[];
  'progress'?: (_scheduler_v1_ReportProgressRequest)[];
}

export interface LeaseRequest__Output {
  'queue': (string);
  'visibilityTimeout': (_google_protobuf_Duration__Output | null);
  'credits': (number);
  'acks': (string)[];
  'nacks': (_scheduler_v1_LeaseNack__Output)[];
  'releases': (string)[];
  'resultAcks': (_scheduler_v1_AckRequest__Output)[];
  'progress': (_scheduler_v1_ReportProgressRequest__Output)[];
}
