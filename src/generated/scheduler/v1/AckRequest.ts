// Original file: proto/scheduler/v1/scheduler.proto


export interface AckRequest {
  'leaseId'?: (string);
}

export interface AckRequest__Output {
  'leaseId': (string);
}
