// Original file: proto/scheduler/v1/scheduler.proto


export interface CancelJobsRequest {
  'queue'?: (string);
  'tenantId'?: (string);
  'limit'?: (number);
  'pageToken'?: (string);
}

export interface CancelJobsRequest__Output {
  'queue': (string);
  'tenantId': (string);
  'limit': (number);
  'pageToken': (string);
}
