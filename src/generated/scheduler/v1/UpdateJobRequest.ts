// Original file: proto/scheduler/v1/scheduler.proto


export interface UpdateJobRequest {
  'jobId'?: (string);
  'priority'?: (number);
}

export interface UpdateJobRequest__Output {
  'jobId': (string);
  'priority': (number);
}
