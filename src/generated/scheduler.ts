import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { AckRequest as _scheduler_v1_AckRequest, AckRequest__Output as _scheduler_v1_AckRequest__Output } from './scheduler/v1/AckRequest';
import type { AckResponse as _scheduler_v1_AckResponse, AckResponse__Output as _scheduler_v1_AckResponse__Output } from './scheduler/v1/AckResponse';
import type { CancelJobRequest as _scheduler_v1_CancelJobRequest, CancelJobRequest__Output as _scheduler_v1_CancelJobRequest__Output } from './scheduler/v1/CancelJobRequest';
import type { CancelJobResponse as _scheduler_v1_CancelJobResponse, CancelJobResponse__Output as _scheduler_v1_CancelJobResponse__Output } from './scheduler/v1/CancelJobResponse';
import type { CancelJobsRequest as _scheduler_v1_CancelJobsRequest, CancelJobsRequest__Output as _scheduler_v1_CancelJobsRequest__Output } from './scheduler/v1/CancelJobsRequest';
import type { CancelJobsResponse as _scheduler_v1_CancelJobsResponse, CancelJobsResponse__Output as _scheduler_v1_CancelJobsResponse__Output } from './scheduler/v1/CancelJobsResponse';
import type { DeleteScheduleRequest as _scheduler_v1_DeleteScheduleRequest, DeleteScheduleRequest__Output as _scheduler_v1_DeleteScheduleRequest__Output } from './scheduler/v1/DeleteScheduleRequest';
import type { DeleteScheduleResponse as _scheduler_v1_DeleteScheduleResponse, DeleteScheduleResponse__Output as _scheduler_v1_DeleteScheduleResponse__Output } from './scheduler/v1/DeleteScheduleResponse';
import type { EnqueueBatchRequest as _scheduler_v1_EnqueueBatchRequest, EnqueueBatchRequest__Output as _scheduler_v1_EnqueueBatchRequest__Output } from './scheduler/v1/EnqueueBatchRequest';
import type { EnqueueBatchResponse as _scheduler_v1_EnqueueBatchResponse, EnqueueBatchResponse__Output as _scheduler_v1_EnqueueBatchResponse__Output } from './scheduler/v1/EnqueueBatchResponse';
import type { EnqueueBatchResult as _scheduler_v1_EnqueueBatchResult, EnqueueBatchResult__Output as _scheduler_v1_EnqueueBatchResult__Output } from './scheduler/v1/EnqueueBatchResult';
import type { EnqueueRequest as _scheduler_v1_EnqueueRequest, EnqueueRequest__Output as _scheduler_v1_EnqueueRequest__Output } from './scheduler/v1/EnqueueRequest';
import type { EnqueueResponse as _scheduler_v1_EnqueueResponse, EnqueueResponse__Output as _scheduler_v1_EnqueueResponse__Output } from './scheduler/v1/EnqueueResponse';
import type { ExtendLeaseRequest as _scheduler_v1_ExtendLeaseRequest, ExtendLeaseRequest__Output as _scheduler_v1_ExtendLeaseRequest__Output } from './scheduler/v1/ExtendLeaseRequest';
import type { ExtendLeaseResponse as _scheduler_v1_ExtendLeaseResponse, ExtendLeaseResponse__Output as _scheduler_v1_ExtendLeaseResponse__Output } from './scheduler/v1/ExtendLeaseResponse';
import type { GetJobRequest as _scheduler_v1_GetJobRequest, GetJobRequest__Output as _scheduler_v1_GetJobRequest__Output } from './scheduler/v1/GetJobRequest';
import type { GetJobResponse as _scheduler_v1_GetJobResponse, GetJobResponse__Output as _scheduler_v1_GetJobResponse__Output } from './scheduler/v1/GetJobResponse';
import type { GetQueueStatsRequest as _scheduler_v1_GetQueueStatsRequest, GetQueueStatsRequest__Output as _scheduler_v1_GetQueueStatsRequest__Output } from './scheduler/v1/GetQueueStatsRequest';
import type { GetQueueStatsResponse as _scheduler_v1_GetQueueStatsResponse, GetQueueStatsResponse__Output as _scheduler_v1_GetQueueStatsResponse__Output } from './scheduler/v1/GetQueueStatsResponse';
import type { GetScheduleRequest as _scheduler_v1_GetScheduleRequest, GetScheduleRequest__Output as _scheduler_v1_GetScheduleRequest__Output } from './scheduler/v1/GetScheduleRequest';
import type { GetScheduleResponse as _scheduler_v1_GetScheduleResponse, GetScheduleResponse__Output as _scheduler_v1_GetScheduleResponse__Output } from './scheduler/v1/GetScheduleResponse';
import type { ItemError as _scheduler_v1_ItemError, ItemError__Output as _scheduler_v1_ItemError__Output } from './scheduler/v1/ItemError';
import type { Job as _scheduler_v1_Job, Job__Output as _scheduler_v1_Job__Output } from './scheduler/v1/Job';
import type { LeaseNack as _scheduler_v1_LeaseNack, LeaseNack__Output as _scheduler_v1_LeaseNack__Output } from './scheduler/v1/LeaseNack';
import type { LeaseRequest as _scheduler_v1_LeaseRequest, LeaseRequest__Output as _scheduler_v1_LeaseRequest__Output } from './scheduler/v1/LeaseRequest';
import type { LeaseResponse as _scheduler_v1_LeaseResponse, LeaseResponse__Output as _scheduler_v1_LeaseResponse__Output } from './scheduler/v1/LeaseResponse';
import type { LeasedJob as _scheduler_v1_LeasedJob, LeasedJob__Output as _scheduler_v1_LeasedJob__Output } from './scheduler/v1/LeasedJob';
import type { ListDeadJobsRequest as _scheduler_v1_ListDeadJobsRequest, ListDeadJobsRequest__Output as _scheduler_v1_ListDeadJobsRequest__Output } from './scheduler/v1/ListDeadJobsRequest';
import type { ListDeadJobsResponse as _scheduler_v1_ListDeadJobsResponse, ListDeadJobsResponse__Output as _scheduler_v1_ListDeadJobsResponse__Output } from './scheduler/v1/ListDeadJobsResponse';
import type { ListJobsRequest as _scheduler_v1_ListJobsRequest, ListJobsRequest__Output as _scheduler_v1_ListJobsRequest__Output } from './scheduler/v1/ListJobsRequest';
import type { ListJobsResponse as _scheduler_v1_ListJobsResponse, ListJobsResponse__Output as _scheduler_v1_ListJobsResponse__Output } from './scheduler/v1/ListJobsResponse';
import type { ListQueuesRequest as _scheduler_v1_ListQueuesRequest, ListQueuesRequest__Output as _scheduler_v1_ListQueuesRequest__Output } from './scheduler/v1/ListQueuesRequest';
import type { ListQueuesResponse as _scheduler_v1_ListQueuesResponse, ListQueuesResponse__Output as _scheduler_v1_ListQueuesResponse__Output } from './scheduler/v1/ListQueuesResponse';
import type { ListSchedulesRequest as _scheduler_v1_ListSchedulesRequest, ListSchedulesRequest__Output as _scheduler_v1_ListSchedulesRequest__Output } from './scheduler/v1/ListSchedulesRequest';
import type { ListSchedulesResponse as _scheduler_v1_ListSchedulesResponse, ListSchedulesResponse__Output as _scheduler_v1_ListSchedulesResponse__Output } from './scheduler/v1/ListSchedulesResponse';
import type { NackRequest as _scheduler_v1_NackRequest, NackRequest__Output as _scheduler_v1_NackRequest__Output } from './scheduler/v1/NackRequest';
import type { NackResponse as _scheduler_v1_NackResponse, NackResponse__Output as _scheduler_v1_NackResponse__Output } from './scheduler/v1/NackResponse';
import type { PauseQueueRequest as _scheduler_v1_PauseQueueRequest, PauseQueueRequest__Output as _scheduler_v1_PauseQueueRequest__Output } from './scheduler/v1/PauseQueueRequest';
import type { PauseQueueResponse as _scheduler_v1_PauseQueueResponse, PauseQueueResponse__Output as _scheduler_v1_PauseQueueResponse__Output } from './scheduler/v1/PauseQueueResponse';
import type { PromoteJobRequest as _scheduler_v1_PromoteJobRequest, PromoteJobRequest__Output as _scheduler_v1_PromoteJobRequest__Output } from './scheduler/v1/PromoteJobRequest';
import type { PromoteJobResponse as _scheduler_v1_PromoteJobResponse, PromoteJobResponse__Output as _scheduler_v1_PromoteJobResponse__Output } from './scheduler/v1/PromoteJobResponse';
import type { PurgeDeadJobsRequest as _scheduler_v1_PurgeDeadJobsRequest, PurgeDeadJobsRequest__Output as _scheduler_v1_PurgeDeadJobsRequest__Output } from './scheduler/v1/PurgeDeadJobsRequest';
import type { PurgeDeadJobsResponse as _scheduler_v1_PurgeDeadJobsResponse, PurgeDeadJobsResponse__Output as _scheduler_v1_PurgeDeadJobsResponse__Output } from './scheduler/v1/PurgeDeadJobsResponse';
import type { QueueSummary as _scheduler_v1_QueueSummary, QueueSummary__Output as _scheduler_v1_QueueSummary__Output } from './scheduler/v1/QueueSummary';
import type { RedriveDeadJobsRequest as _scheduler_v1_RedriveDeadJobsRequest, RedriveDeadJobsRequest__Output as _scheduler_v1_RedriveDeadJobsRequest__Output } from './scheduler/v1/RedriveDeadJobsRequest';
import type { RedriveDeadJobsResponse as _scheduler_v1_RedriveDeadJobsResponse, RedriveDeadJobsResponse__Output as _scheduler_v1_RedriveDeadJobsResponse__Output } from './scheduler/v1/RedriveDeadJobsResponse';
import type { ReportProgressRequest as _scheduler_v1_ReportProgressRequest, ReportProgressRequest__Output as _scheduler_v1_ReportProgressRequest__Output } from './scheduler/v1/ReportProgressRequest';
import type { ReportProgressResponse as _scheduler_v1_ReportProgressResponse, ReportProgressResponse__Output as _scheduler_v1_ReportProgressResponse__Output } from './scheduler/v1/ReportProgressResponse';
import type { ResumeQueueRequest as _scheduler_v1_ResumeQueueRequest, ResumeQueueRequest__Output as _scheduler_v1_ResumeQueueRequest__Output } from './scheduler/v1/ResumeQueueRequest';
import type { ResumeQueueResponse as _scheduler_v1_ResumeQueueResponse, ResumeQueueResponse__Output as _scheduler_v1_ResumeQueueResponse__Output } from './scheduler/v1/ResumeQueueResponse';
import type { Schedule as _scheduler_v1_Schedule, Schedule__Output as _scheduler_v1_Schedule__Output } from './scheduler/v1/Schedule';
import type { SchedulerServiceClient as _scheduler_v1_SchedulerServiceClient, SchedulerServiceDefinition as _scheduler_v1_SchedulerServiceDefinition } from './scheduler/v1/SchedulerService';
import type { SettleResult as _scheduler_v1_SettleResult, SettleResult__Output as _scheduler_v1_SettleResult__Output } from './scheduler/v1/SettleResult';
import type { StateCounts as _scheduler_v1_StateCounts, StateCounts__Output as _scheduler_v1_StateCounts__Output } from './scheduler/v1/StateCounts';
import type { TierStats as _scheduler_v1_TierStats, TierStats__Output as _scheduler_v1_TierStats__Output } from './scheduler/v1/TierStats';
import type { UpdateJobRequest as _scheduler_v1_UpdateJobRequest, UpdateJobRequest__Output as _scheduler_v1_UpdateJobRequest__Output } from './scheduler/v1/UpdateJobRequest';
import type { UpdateJobResponse as _scheduler_v1_UpdateJobResponse, UpdateJobResponse__Output as _scheduler_v1_UpdateJobResponse__Output } from './scheduler/v1/UpdateJobResponse';
import type { UpsertScheduleRequest as _scheduler_v1_UpsertScheduleRequest, UpsertScheduleRequest__Output as _scheduler_v1_UpsertScheduleRequest__Output } from './scheduler/v1/UpsertScheduleRequest';
import type { UpsertScheduleResponse as _scheduler_v1_UpsertScheduleResponse, UpsertScheduleResponse__Output as _scheduler_v1_UpsertScheduleResponse__Output } from './scheduler/v1/UpsertScheduleResponse';
import type { WatchJobRequest as _scheduler_v1_WatchJobRequest, WatchJobRequest__Output as _scheduler_v1_WatchJobRequest__Output } from './scheduler/v1/WatchJobRequest';
import type { WatchJobResponse as _scheduler_v1_WatchJobResponse, WatchJobResponse__Output as _scheduler_v1_WatchJobResponse__Output } from './scheduler/v1/WatchJobResponse';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Duration: MessageTypeDefinition<_google_protobuf_Duration, _google_protobuf_Duration__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  scheduler: {
    v1: {
      AckRequest: MessageTypeDefinition<_scheduler_v1_AckRequest, _scheduler_v1_AckRequest__Output>
      AckResponse: MessageTypeDefinition<_scheduler_v1_AckResponse, _scheduler_v1_AckResponse__Output>
      CancelJobRequest: MessageTypeDefinition<_scheduler_v1_CancelJobRequest, _scheduler_v1_CancelJobRequest__Output>
      CancelJobResponse: MessageTypeDefinition<_scheduler_v1_CancelJobResponse, _scheduler_v1_CancelJobResponse__Output>
      CancelJobsRequest: MessageTypeDefinition<_scheduler_v1_CancelJobsRequest, _scheduler_v1_CancelJobsRequest__Output>
      CancelJobsResponse: MessageTypeDefinition<_scheduler_v1_CancelJobsResponse, _scheduler_v1_CancelJobsResponse__Output>
      DeleteScheduleRequest: MessageTypeDefinition<_scheduler_v1_DeleteScheduleRequest, _scheduler_v1_DeleteScheduleRequest__Output>
      DeleteScheduleResponse: MessageTypeDefinition<_scheduler_v1_DeleteScheduleResponse, _scheduler_v1_DeleteScheduleResponse__Output>
      EnqueueBatchRequest: MessageTypeDefinition<_scheduler_v1_EnqueueBatchRequest, _scheduler_v1_EnqueueBatchRequest__Output>
      EnqueueBatchResponse: MessageTypeDefinition<_scheduler_v1_EnqueueBatchResponse, _scheduler_v1_EnqueueBatchResponse__Output>
      EnqueueBatchResult: MessageTypeDefinition<_scheduler_v1_EnqueueBatchResult, _scheduler_v1_EnqueueBatchResult__Output>
      EnqueueRequest: MessageTypeDefinition<_scheduler_v1_EnqueueRequest, _scheduler_v1_EnqueueRequest__Output>
      EnqueueResponse: MessageTypeDefinition<_scheduler_v1_EnqueueResponse, _scheduler_v1_EnqueueResponse__Output>
      ExtendLeaseRequest: MessageTypeDefinition<_scheduler_v1_ExtendLeaseRequest, _scheduler_v1_ExtendLeaseRequest__Output>
      ExtendLeaseResponse: MessageTypeDefinition<_scheduler_v1_ExtendLeaseResponse, _scheduler_v1_ExtendLeaseResponse__Output>
      GetJobRequest: MessageTypeDefinition<_scheduler_v1_GetJobRequest, _scheduler_v1_GetJobRequest__Output>
      GetJobResponse: MessageTypeDefinition<_scheduler_v1_GetJobResponse, _scheduler_v1_GetJobResponse__Output>
      GetQueueStatsRequest: MessageTypeDefinition<_scheduler_v1_GetQueueStatsRequest, _scheduler_v1_GetQueueStatsRequest__Output>
      GetQueueStatsResponse: MessageTypeDefinition<_scheduler_v1_GetQueueStatsResponse, _scheduler_v1_GetQueueStatsResponse__Output>
      GetScheduleRequest: MessageTypeDefinition<_scheduler_v1_GetScheduleRequest, _scheduler_v1_GetScheduleRequest__Output>
      GetScheduleResponse: MessageTypeDefinition<_scheduler_v1_GetScheduleResponse, _scheduler_v1_GetScheduleResponse__Output>
      ItemError: MessageTypeDefinition<_scheduler_v1_ItemError, _scheduler_v1_ItemError__Output>
      Job: MessageTypeDefinition<_scheduler_v1_Job, _scheduler_v1_Job__Output>
      JobState: EnumTypeDefinition
      LeaseNack: MessageTypeDefinition<_scheduler_v1_LeaseNack, _scheduler_v1_LeaseNack__Output>
      LeaseRequest: MessageTypeDefinition<_scheduler_v1_LeaseRequest, _scheduler_v1_LeaseRequest__Output>
      LeaseResponse: MessageTypeDefinition<_scheduler_v1_LeaseResponse, _scheduler_v1_LeaseResponse__Output>
      LeasedJob: MessageTypeDefinition<_scheduler_v1_LeasedJob, _scheduler_v1_LeasedJob__Output>
      ListDeadJobsRequest: MessageTypeDefinition<_scheduler_v1_ListDeadJobsRequest, _scheduler_v1_ListDeadJobsRequest__Output>
      ListDeadJobsResponse: MessageTypeDefinition<_scheduler_v1_ListDeadJobsResponse, _scheduler_v1_ListDeadJobsResponse__Output>
      ListJobsRequest: MessageTypeDefinition<_scheduler_v1_ListJobsRequest, _scheduler_v1_ListJobsRequest__Output>
      ListJobsResponse: MessageTypeDefinition<_scheduler_v1_ListJobsResponse, _scheduler_v1_ListJobsResponse__Output>
      ListQueuesRequest: MessageTypeDefinition<_scheduler_v1_ListQueuesRequest, _scheduler_v1_ListQueuesRequest__Output>
      ListQueuesResponse: MessageTypeDefinition<_scheduler_v1_ListQueuesResponse, _scheduler_v1_ListQueuesResponse__Output>
      ListSchedulesRequest: MessageTypeDefinition<_scheduler_v1_ListSchedulesRequest, _scheduler_v1_ListSchedulesRequest__Output>
      ListSchedulesResponse: MessageTypeDefinition<_scheduler_v1_ListSchedulesResponse, _scheduler_v1_ListSchedulesResponse__Output>
      MissedRunPolicy: EnumTypeDefinition
      NackRequest: MessageTypeDefinition<_scheduler_v1_NackRequest, _scheduler_v1_NackRequest__Output>
      NackResponse: MessageTypeDefinition<_scheduler_v1_NackResponse, _scheduler_v1_NackResponse__Output>
      PauseQueueRequest: MessageTypeDefinition<_scheduler_v1_PauseQueueRequest, _scheduler_v1_PauseQueueRequest__Output>
      PauseQueueResponse: MessageTypeDefinition<_scheduler_v1_PauseQueueResponse, _scheduler_v1_PauseQueueResponse__Output>
      PromoteJobRequest: MessageTypeDefinition<_scheduler_v1_PromoteJobRequest, _scheduler_v1_PromoteJobRequest__Output>
      PromoteJobResponse: MessageTypeDefinition<_scheduler_v1_PromoteJobResponse, _scheduler_v1_PromoteJobResponse__Output>
      PurgeDeadJobsRequest: MessageTypeDefinition<_scheduler_v1_PurgeDeadJobsRequest, _scheduler_v1_PurgeDeadJobsRequest__Output>
      PurgeDeadJobsResponse: MessageTypeDefinition<_scheduler_v1_PurgeDeadJobsResponse, _scheduler_v1_PurgeDeadJobsResponse__Output>
      QueueSummary: MessageTypeDefinition<_scheduler_v1_QueueSummary, _scheduler_v1_QueueSummary__Output>
      RedriveDeadJobsRequest: MessageTypeDefinition<_scheduler_v1_RedriveDeadJobsRequest, _scheduler_v1_RedriveDeadJobsRequest__Output>
      RedriveDeadJobsResponse: MessageTypeDefinition<_scheduler_v1_RedriveDeadJobsResponse, _scheduler_v1_RedriveDeadJobsResponse__Output>
      ReportProgressRequest: MessageTypeDefinition<_scheduler_v1_ReportProgressRequest, _scheduler_v1_ReportProgressRequest__Output>
      ReportProgressResponse: MessageTypeDefinition<_scheduler_v1_ReportProgressResponse, _scheduler_v1_ReportProgressResponse__Output>
      ResumeQueueRequest: MessageTypeDefinition<_scheduler_v1_ResumeQueueRequest, _scheduler_v1_ResumeQueueRequest__Output>
      ResumeQueueResponse: MessageTypeDefinition<_scheduler_v1_ResumeQueueResponse, _scheduler_v1_ResumeQueueResponse__Output>
      Schedule: MessageTypeDefinition<_scheduler_v1_Schedule, _scheduler_v1_Schedule__Output>
      SchedulerService: SubtypeConstructor<typeof grpc.Client, _scheduler_v1_SchedulerServiceClient> & { service: _scheduler_v1_SchedulerServiceDefinition }
      SettleResult: MessageTypeDefinition<_scheduler_v1_SettleResult, _scheduler_v1_SettleResult__Output>
      StateCounts: MessageTypeDefinition<_scheduler_v1_StateCounts, _scheduler_v1_StateCounts__Output>
      TierStats: MessageTypeDefinition<_scheduler_v1_TierStats, _scheduler_v1_TierStats__Output>
      UpdateJobRequest: MessageTypeDefinition<_scheduler_v1_UpdateJobRequest, _scheduler_v1_UpdateJobRequest__Output>
      UpdateJobResponse: MessageTypeDefinition<_scheduler_v1_UpdateJobResponse, _scheduler_v1_UpdateJobResponse__Output>
      UpsertScheduleRequest: MessageTypeDefinition<_scheduler_v1_UpsertScheduleRequest, _scheduler_v1_UpsertScheduleRequest__Output>
      UpsertScheduleResponse: MessageTypeDefinition<_scheduler_v1_UpsertScheduleResponse, _scheduler_v1_UpsertScheduleResponse__Output>
      WatchJobRequest: MessageTypeDefinition<_scheduler_v1_WatchJobRequest, _scheduler_v1_WatchJobRequest__Output>
      WatchJobResponse: MessageTypeDefinition<_scheduler_v1_WatchJobResponse, _scheduler_v1_WatchJobResponse__Output>
    }
  }
}

