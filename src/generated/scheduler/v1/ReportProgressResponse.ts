// Original file: proto/scheduler/v1/scheduler.proto


export interface ReportProgressResponse {
}

export interface ReportProgressResponse__Output {
}
