// Original file: proto/scheduler/v1/scheduler.proto


export interface ReportProgressRequest {
  'leaseId'?: (string);
  'progress'?: (Buffer | Uint8Array | string);
}

export interface ReportProgressRequest__Output {
  'leaseId': (string);
  'progress': (Buffer);
}
