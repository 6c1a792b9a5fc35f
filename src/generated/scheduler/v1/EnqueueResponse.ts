// Original file: proto/scheduler/v1/scheduler.proto


export interface EnqueueResponse {
  'jobId'?: (string);
  'tier'?: (string);
  'duplicate'?: (boolean);
}

export interface EnqueueResponse__Output {
  'jobId': (string);
  'tier': (string);
  'duplicate': (boolean);
}
