// Original file: proto/scheduler/v1/scheduler.proto


export interface ListSchedulesRequest {
  'queue'?: (string);
  'pageSize'?: (number);
  'pageToken'?: (string);
}

export interface ListSchedulesRequest__Output {
  'queue': (string);
  'pageSize': (number);
  'pageToken': (string);
}
