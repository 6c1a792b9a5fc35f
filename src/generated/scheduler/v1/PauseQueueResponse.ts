// Original file: proto/scheduler/v1/scheduler.proto


export interface PauseQueueResponse {
  'changed'?: (boolean);
}

export interface PauseQueueResponse__Output {
  'changed': (boolean);
}
