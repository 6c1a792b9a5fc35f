// Original file: proto/scheduler/v1/scheduler.proto


export interface ListDeadJobsRequest {
  'queue'?: (string);
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListDeadJobsRequest__Output {
  'queue': (string);
  'pageSize': (number);
  'pageToken': (string);
}
