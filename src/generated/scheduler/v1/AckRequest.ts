// Original file: proto/scheduler/v1/scheduler.proto


export interface AckRequest {
  'leaseId'?: (string);
  'result'?: (Buffer | Uint8Array | string);
}

export interface AckRequest__Output {
  'leaseId': (string);
  'result': (Buffer);
}
