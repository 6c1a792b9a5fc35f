// Original file: proto/scheduler/v1/scheduler.proto


export interface PurgeDeadJobsRequest {
  'queue'?: (string);
  'limit'?: (number);
}

export interface PurgeDeadJobsRequest__Output {
  'queue': (string);
  'limit': (number);
}
