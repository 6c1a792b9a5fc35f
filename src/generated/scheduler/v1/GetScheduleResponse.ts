// Original file: proto/scheduler/v1/scheduler.proto

import type { Schedule as _scheduler_v1_Schedule, Schedule__Output as _scheduler_v1_Schedule__Output } from '../../scheduler/v1/Schedule';

export interface GetScheduleResponse {
  'schedule'?: (_scheduler_v1_Schedule | null);
}

export interface GetScheduleResponse__Output {
  'schedule': (_scheduler_v1_Schedule__Output | null);
}
