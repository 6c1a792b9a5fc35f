// Original file: proto/scheduler/v1/scheduler.proto


export interface ResumeQueueRequest {
  'queue'?: (string);
  'tenantId'?: (string);
}

export interface ResumeQueueRequest__Output {
  'queue': (string);
  'tenantId': (string);
}
