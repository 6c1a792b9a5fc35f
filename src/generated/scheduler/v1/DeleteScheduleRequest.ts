// Original file: proto/scheduler/v1/scheduler.proto


export interface DeleteScheduleRequest {
  'queue'?: (string);
  'scheduleId'?: (string);
}

export interface DeleteScheduleRequest__Output {
  'queue': (string);
  'scheduleId': (string);
}
