// Original file: proto/scheduler/v1/scheduler.proto


export interface GetQueueStatsRequest {
  'queue'?: (string);
}

export interface GetQueueStatsRequest__Output {
  'queue': (string);
}
