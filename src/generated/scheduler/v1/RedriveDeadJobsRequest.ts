// Original file: proto/scheduler/v1/scheduler.proto


export interface RedriveDeadJobsRequest {
  'queue'?: (string);
  'jobIds'?: (string)[];
  'limit'?: (number);
}

export interface RedriveDeadJobsRequest__Output {
  'queue': (string);
  'jobIds': (string)[];
  'limit': (number);
}
