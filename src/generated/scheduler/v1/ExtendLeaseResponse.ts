// Original file: proto/scheduler/v1/scheduler.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

export interface ExtendLeaseResponse {
  'leaseExpireTime'?: (_google_protobuf_Timestamp | null);
}

export interface ExtendLeaseResponse__Output {
  'leaseExpireTime': (_google_protobuf_Timestamp__Output | null);
}
