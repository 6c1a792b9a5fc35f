// Original file: proto/scheduler/v1/scheduler.proto


export interface ResumeQueueResponse {
  'changed'?: (boolean);
}

export interface ResumeQueueResponse__Output {
  'changed': (boolean);
}
