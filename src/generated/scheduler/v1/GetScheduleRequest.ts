// Original file: proto/scheduler/v1/scheduler.proto


export interface GetScheduleRequest {
  'queue'?: (string);
  'scheduleId'?: (string);
}

export interface GetScheduleRequest__Output {
  'queue': (string);
  'scheduleId': (string);
}
