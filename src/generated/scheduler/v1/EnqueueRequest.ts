// Original file: proto/scheduler/v1/scheduler.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

export interface EnqueueRequest {
  'queue'?: (string);
  'tenantId'?: (string);
  'payload'?: (Buffer | Uint8Array | string);
  'priority'?: (number);
  'idempotencyKey'?: (string);
  'delay'?: (_google_protobuf_Duration | null);
  'maxAttempts'?: (number);
  'headers'?: ({[key: string]: string});
}

export interface EnqueueRequest__Output {
  'queue': (string);
  'tenantId': (string);
  'payload': (Buffer);
  'priority': (number);
  'idempotencyKey': (string);
  'delay': (_google_protobuf_Duration__Output | null);
  'maxAttempts': (number);
  'headers': ({[key: string]: string});
}
