// Original file: proto/scheduler/v1/scheduler.proto

import type { JobState as _scheduler_v1_JobState, JobState__Output as _scheduler_v1_JobState__Output } from '../../scheduler/v1/JobState';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface Job {
  'id'?: (string);
  'queue'?: (string);
  'tenantId'?: (string);
  'tier'?: (string);
  'priority'?: (number);
  'payload'?: (Buffer | Uint8Array | string);
  'headers'?: ({[key: string]: string});
  'attempt'?: (number);
  'maxAttempts'?: (number);
  'state'?: (_scheduler_v1_JobState);
  'enqueueTime'?: (_google_protobuf_Timestamp | null);
  'lastError'?: (string);
  'scheduledTime'?: (_google_protobuf_Timestamp | null);
  'leaseExpireTime'?: (_google_protobuf_Timestamp | null);
  'finishTime'?: (_google_protobuf_Timestamp | null);
  'idempotencyKey'?: (string);
  'result'?: (Buffer | Uint8Array | string);
  'progress'?: (Buffer | Uint8Array | string);
}

export interface Job__Output {
  'id': (string);
  'queue': (string);
  'tenantId': (string);
  'tier': (string);
  'priority': (number);
  'payload': (Buffer);
  'headers': ({[key: string]: string});
  'attempt': (number);
  'maxAttempts': (number);
  'state': (_scheduler_v1_JobState__Output);
  'enqueueTime': (_google_protobuf_Timestamp__Output | null);
  'lastError': (string);
  'scheduledTime': (_google_protobuf_Timestamp__Output | null);
  'leaseExpireTime': (_google_protobuf_Timestamp__Output | null);
  'finishTime': (_google_protobuf_Timestamp__Output | null);
  'idempotencyKey': (string);
  'result': (Buffer);
  'progress': (Buffer);
}
