// Original file: proto/scheduler/v1/scheduler.proto

export const JobState = {
  JOB_STATE_UNSPECIFIED: 'JOB_STATE_UNSPECIFIED',
  JOB_STATE_PENDING: 'JOB_STATE_PENDING',
  JOB_STATE_SCHEDULED: 'JOB_STATE_SCHEDULED',
  JOB_STATE_LEASED: 'JOB_STATE_LEASED',
  JOB_STATE_SUCCEEDED: 'JOB_STATE_SUCCEEDED',
  JOB_STATE_DEAD: 'JOB_STATE_DEAD',
  JOB_STATE_CANCELLED: 'JOB_STATE_CANCELLED',
} as const;

export type JobState =
  | 'JOB_STATE_UNSPECIFIED'
  | 0
  | 'JOB_STATE_PENDING'
  | 1
  | 'JOB_STATE_SCHEDULED'
  | 2
  | 'JOB_STATE_LEASED'
  | 3
  | 'JOB_STATE_SUCCEEDED'
  | 4
  | 'JOB_STATE_DEAD'
  | 5
  | 'JOB_STATE_CANCELLED'
  | 6

export type JobState__Output = typeof JobState[keyof typeof JobState]
