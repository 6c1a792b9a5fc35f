// Original file: proto/scheduler/v1/scheduler.proto

export const MissedRunPolicy = {
  MISSED_RUN_POLICY_UNSPECIFIED: 'MISSED_RUN_POLICY_UNSPECIFIED',
  MISSED_RUN_POLICY_SKIP: 'MISSED_RUN_POLICY_SKIP',
  MISSED_RUN_POLICY_RUN_ONCE: 'MISSED_RUN_POLICY_RUN_ONCE',
} as const;

export type MissedRunPolicy =
  | 'MISSED_RUN_POLICY_UNSPECIFIED'
  | 0
  | 'MISSED_RUN_POLICY_SKIP'
  | 1
  | 'MISSED_RUN_POLICY_RUN_ONCE'
  | 2

export type MissedRunPolicy__Output = typeof MissedRunPolicy[keyof typeof MissedRunPolicy]
