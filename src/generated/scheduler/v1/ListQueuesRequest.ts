// Original file: proto/scheduler/v1/scheduler.proto


export interface ListQueuesRequest {
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListQueuesRequest__Output {
  'pageSize': (number);
  'pageToken': (string);
}
