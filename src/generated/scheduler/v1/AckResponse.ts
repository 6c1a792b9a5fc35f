// Original file: proto/scheduler/v1/scheduler.proto


export interface AckResponse {
}

export interface AckResponse__Output {
}
