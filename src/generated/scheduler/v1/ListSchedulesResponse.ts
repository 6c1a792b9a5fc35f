// Original file: proto/scheduler/v1/scheduler.proto

import type { Schedule as _scheduler_v1_Schedule, Schedule__Output as _scheduler_v1_Schedule__Output } from '../../scheduler/v1/Schedule';

export interface ListSchedulesResponse {
  'schedules'?: (_scheduler_v1_Schedule)[];
  'nextPageToken'?: (string);
}

export interface ListSchedulesResponse__Output {
  'schedules': (_scheduler_v1_Schedule__Output)[];
  'nextPageToken': (string);
}
