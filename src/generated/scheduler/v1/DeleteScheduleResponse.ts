// Original file: proto/scheduler/v1/scheduler.proto


export interface DeleteScheduleResponse {
}

export interface DeleteScheduleResponse__Output {
}
