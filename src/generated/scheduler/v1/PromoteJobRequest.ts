// Original file: proto/scheduler/v1/scheduler.proto


export interface PromoteJobRequest {
  'jobId'?: (string);
}

export interface PromoteJobRequest__Output {
  'jobId': (string);
}
