// Original file: proto/scheduler/v1/scheduler.proto


export interface PauseQueueRequest {
  'queue'?: (string);
  'tenantId'?: (string);
}

export interface PauseQueueRequest__Output {
  'queue': (string);
  'tenantId': (string);
}
