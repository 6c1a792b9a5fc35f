// Original file: proto/scheduler/v1/scheduler.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AckRequest as _scheduler_v1_AckRequest, AckRequest__Output as _scheduler_v1_AckRequest__Output } from '../../scheduler/v1/AckRequest';
import type { AckResponse as _scheduler_v1_AckResponse, AckResponse__Output as _scheduler_v1_AckResponse__Output } from '../../scheduler/v1/AckResponse';
import type { CancelJobRequest as _scheduler_v1_CancelJobRequest, CancelJobRequest__Output as _scheduler_v1_CancelJobRequest__Output } from '../../scheduler/v1/CancelJobRequest';
import type { CancelJobResponse as _scheduler_v1_CancelJobResponse, CancelJobResponse__Output as _scheduler_v1_CancelJobResponse__Output } from '../../scheduler/v1/CancelJobResponse';
import type { CancelJobsRequest as _scheduler_v1_CancelJobsRequest, CancelJobsRequest__Output as _scheduler_v1_CancelJobsRequest__Output } from '../../scheduler/v1/CancelJobsRequest';
import type { CancelJobsResponse as _scheduler_v1_CancelJobsResponse, CancelJobsResponse__Output as _scheduler_v1_CancelJobsResponse__Output } from '../../scheduler/v1/CancelJobsResponse';
import type { DeleteScheduleRequest as _scheduler_v1_DeleteScheduleRequest, DeleteScheduleRequest__Output as _scheduler_v1_DeleteScheduleRequest__Output } from '../../scheduler/v1/DeleteScheduleRequest';
import type { DeleteScheduleResponse as _scheduler_v1_DeleteScheduleResponse, DeleteScheduleResponse__Output as _scheduler_v1_DeleteScheduleResponse__Output } from '../../scheduler/v1/DeleteScheduleResponse';
import type { EnqueueBatchRequest as _scheduler_v1_EnqueueBatchRequest, EnqueueBatchRequest__Output as _scheduler_v1_EnqueueBatchRequest__Output } from '../../scheduler/v1/EnqueueBatchRequest';
import type { EnqueueBatchResponse as _scheduler_v1_EnqueueBatchResponse, EnqueueBatchResponse__Output as _scheduler_v1_EnqueueBatchResponse__Output } from '../../scheduler/v1/EnqueueBatchResponse';
import type { EnqueueRequest as _scheduler_v1_EnqueueRequest, EnqueueRequest__Output as _scheduler_v1_EnqueueRequest__Output } from '../../scheduler/v1/EnqueueRequest';
import type { EnqueueResponse as _scheduler_v1_EnqueueResponse, EnqueueResponse__Output as _scheduler_v1_EnqueueResponse__Output } from '../../scheduler/v1/EnqueueResponse';
import type { ExtendLeaseRequest as _scheduler_v1_ExtendLeaseRequest, ExtendLeaseRequest__Output as _scheduler_v1_ExtendLeaseRequest__Output } from '../../scheduler/v1/ExtendLeaseRequest';
import type { ExtendLeaseResponse as _scheduler_v1_ExtendLeaseResponse, ExtendLeaseResponse__Output as _scheduler_v1_ExtendLeaseResponse__Output } from '../../scheduler/v1/ExtendLeaseResponse';
import type { GetJobRequest as _scheduler_v1_GetJobRequest, GetJobRequest__Output as _scheduler_v1_GetJobRequest__Output } from '../../scheduler/v1/GetJobRequest';
import type { GetJobResponse as _scheduler_v1_GetJobResponse, GetJobResponse__Output as _scheduler_v1_GetJobResponse__Output } from '../../scheduler/v1/GetJobResponse';
import type { GetQueueStatsRequest as _scheduler_v1_GetQueueStatsRequest, GetQueueStatsRequest__Output as _scheduler_v1_GetQueueStatsRequest__Output } from '../../scheduler/v1/GetQueueStatsRequest';
import type { GetQueueStatsResponse as _scheduler_v1_GetQueueStatsResponse, GetQueueStatsResponse__Output as _scheduler_v1_GetQueueStatsResponse__Output } from '../../scheduler/v1/GetQueueStatsResponse';
import type { GetScheduleRequest as _scheduler_v1_GetScheduleRequest, GetScheduleRequest__Output as _scheduler_v1_GetScheduleRequest__Output } from '../../scheduler/v1/GetScheduleRequest';
import type { GetScheduleResponse as _scheduler_v1_GetScheduleResponse, GetScheduleResponse__Output as _scheduler_v1_GetScheduleResponse__Output } from '../../scheduler/v1/GetScheduleResponse';
import type { LeaseRequest as _scheduler_v1_LeaseRequest, LeaseRequest__Output as _scheduler_v1_LeaseRequest__Output } from '../../scheduler/v1/LeaseRequest';
import type { LeaseResponse as _scheduler_v1_LeaseResponse, LeaseResponse__Output as _scheduler_v1_LeaseResponse__Output } from '../../scheduler/v1/LeaseResponse';
import type { ListDeadJobsRequest as _scheduler_v1_ListDeadJobsRequest, ListDeadJobsRequest__Output as _scheduler_v1_ListDeadJobsRequest__Output } from '../../scheduler/v1/ListDeadJobsRequest';
import type { ListDeadJobsResponse as _scheduler_v1_ListDeadJobsResponse, ListDeadJobsResponse__Output as _scheduler_v1_ListDeadJobsResponse__Output } from '../../scheduler/v1/ListDeadJobsResponse';
import type { ListJobsRequest as _scheduler_v1_ListJobsRequest, ListJobsRequest__Output as _scheduler_v1_ListJobsRequest__Output } from '../../scheduler/v1/ListJobsRequest';
import type { ListJobsResponse as _scheduler_v1_ListJobsResponse, ListJobsResponse__Output as _scheduler_v1_ListJobsResponse__Output } from '../../scheduler/v1/ListJobsResponse';
import type { ListQueuesRequest as _scheduler_v1_ListQueuesRequest, ListQueuesRequest__Output as _scheduler_v1_ListQueuesRequest__Output } from '../../scheduler/v1/ListQueuesRequest';
import type { ListQueuesResponse as _scheduler_v1_ListQueuesResponse, ListQueuesResponse__Output as _scheduler_v1_ListQueuesResponse__Output } from '../../scheduler/v1/ListQueuesResponse';
import type { ListSchedulesRequest as _scheduler_v1_ListSchedulesRequest, ListSchedulesRequest__Output as _scheduler_v1_ListSchedulesRequest__Output } from '../../scheduler/v1/ListSchedulesRequest';
import type { ListSchedulesResponse as _scheduler_v1_ListSchedulesResponse, ListSchedulesResponse__Output as _scheduler_v1_ListSchedulesResponse__Output } from '../../scheduler/v1/ListSchedulesResponse';
import type { NackRequest as _scheduler_v1_NackRequest, NackRequest__Output as _scheduler_v1_NackRequest__Output } from '../../scheduler/v1/NackRequest';
import type { NackResponse as _scheduler_v1_NackResponse, NackResponse__Output as _scheduler_v1_NackResponse__Output } from '../../scheduler/v1/NackResponse';
import type { PauseQueueRequest as _scheduler_v1_PauseQueueRequest, PauseQueueRequest__Output as _scheduler_v1_PauseQueueRequest__Output } from '../../scheduler/v1/PauseQueueRequest';
import type { PauseQueueResponse as _scheduler_v1_PauseQueueResponse, PauseQueueResponse__Output as _scheduler_v1_PauseQueueResponse__Output } from '../../scheduler/v1/PauseQueueResponse';
import type { PromoteJobRequest as _scheduler_v1_PromoteJobRequest, PromoteJobRequest__Output as _scheduler_v1_PromoteJobRequest__Output } from '../../scheduler/v1/PromoteJobRequest';
import type { PromoteJobResponse as _scheduler_v1_PromoteJobResponse, PromoteJobResponse__Output as _scheduler_v1_PromoteJobResponse__Output } from '../../scheduler/v1/PromoteJobResponse';
import type { PurgeDeadJobsRequest as _scheduler_v1_PurgeDeadJobsRequest, PurgeDeadJobsRequest__Output as _scheduler_v1_PurgeDeadJobsRequest__Output } from '../../scheduler/v1/PurgeDeadJobsRequest';
import type { PurgeDeadJobsResponse as _scheduler_v1_PurgeDeadJobsResponse, PurgeDeadJobsResponse__Output as _scheduler_v1_PurgeDeadJobsResponse__Output } from '../../scheduler/v1/PurgeDeadJobsResponse';
import type { RedriveDeadJobsRequest as _scheduler_v1_RedriveDeadJobsRequest, RedriveDeadJobsRequest__Output as _scheduler_v1_RedriveDeadJobsRequest__Output } from '../../scheduler/v1/RedriveDeadJobsRequest';
import type { RedriveDeadJobsResponse as _scheduler_v1_RedriveDeadJobsResponse, RedriveDeadJobsResponse__Output as _scheduler_v1_RedriveDeadJobsResponse__Output } from '../../scheduler/v1/RedriveDeadJobsResponse';
import type { ReportProgressRequest as _scheduler_v1_ReportProgressRequest, ReportProgressRequest__Output as _scheduler_v1_ReportProgressRequest__Output } from '../../scheduler/v1/ReportProgressRequest';
import type { ReportProgressResponse as _scheduler_v1_ReportProgressResponse, ReportProgressResponse__Output as _scheduler_v1_ReportProgressResponse__Output } from '../../scheduler/v1/ReportProgressResponse';
import type { ResumeQueueRequest as _scheduler_v1_ResumeQueueRequest, ResumeQueueRequest__Output as _scheduler_v1_ResumeQueueRequest__Output } from '../../scheduler/v1/ResumeQueueRequest';
import type { ResumeQueueResponse as _scheduler_v1_ResumeQueueResponse, ResumeQueueResponse__Output as _scheduler_v1_ResumeQueueResponse__Output } from '../../scheduler/v1/ResumeQueueResponse';
import type { UpdateJobRequest as _scheduler_v1_UpdateJobRequest, UpdateJobRequest__Output as _scheduler_v1_UpdateJobRequest__Output } from '../../scheduler/v1/UpdateJobRequest';
import type { UpdateJobResponse as _scheduler_v1_UpdateJobResponse, UpdateJobResponse__Output as _scheduler_v1_UpdateJobResponse__Output } from '../../scheduler/v1/UpdateJobResponse';
import type { UpsertScheduleRequest as _scheduler_v1_UpsertScheduleRequest, UpsertScheduleRequest__Output as _scheduler_v1_UpsertScheduleRequest__Output } from '../../scheduler/v1/UpsertScheduleRequest';
import type { UpsertScheduleResponse as _scheduler_v1_UpsertScheduleResponse, UpsertScheduleResponse__Output as _scheduler_v1_UpsertScheduleResponse__Output } from '../../scheduler/v1/UpsertScheduleResponse';
import type { WatchJobRequest as _scheduler_v1_WatchJobRequest, WatchJobRequest__Output as _scheduler_v1_WatchJobRequest__Output } from '../../scheduler/v1/WatchJobRequest';
import type { WatchJobResponse as _scheduler_v1_WatchJobResponse, WatchJobResponse__Output as _scheduler_v1_WatchJobResponse__Output } from '../../scheduler/v1/WatchJobResponse';

export interface SchedulerServiceClient extends grpc.Client {
  Ack(argument: _scheduler_v1_AckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  Ack(argument: _scheduler_v1_AckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  Ack(argument: _scheduler_v1_AckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  Ack(argument: _scheduler_v1_AckRequest, callback: grpc.requestCallback<_scheduler_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  ack(argument: _scheduler_v1_AckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  ack(argument: _scheduler_v1_AckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  ack(argument: _scheduler_v1_AckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  ack(argument: _scheduler_v1_AckRequest, callback: grpc.requestCallback<_scheduler_v1_AckResponse__Output>): grpc.ClientUnaryCall;
  
  CancelJob(argument: _scheduler_v1_CancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _scheduler_v1_CancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _scheduler_v1_CancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  CancelJob(argument: _scheduler_v1_CancelJobRequest, callback: grpc.requestCallback<_scheduler_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _scheduler_v1_CancelJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _scheduler_v1_CancelJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _scheduler_v1_CancelJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  cancelJob(argument: _scheduler_v1_CancelJobRequest, callback: grpc.requestCallback<_scheduler_v1_CancelJobResponse__Output>): grpc.ClientUnaryCall;
  
  CancelJobs(argument: _scheduler_v1_CancelJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_CancelJobsResponse__Output>): grpc.ClientUnaryCall;
  CancelJobs(argument: _scheduler_v1_CancelJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_CancelJobsResponse__Output>): grpc.ClientUnaryCall;
  CancelJobs(argument: _scheduler_v1_CancelJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_CancelJobsResponse__Output>): grpc.ClientUnaryCall;
  CancelJobs(argument: _scheduler_v1_CancelJobsRequest, callback: grpc.requestCallback<_scheduler_v1_CancelJobsResponse__Output>): grpc.ClientUnaryCall;
  cancelJobs(argument: _scheduler_v1_CancelJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_CancelJobsResponse__Output>): grpc.ClientUnaryCall;
  cancelJobs(argument: _scheduler_v1_CancelJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_CancelJobsResponse__Output>): grpc.ClientUnaryCall;
  cancelJobs(argument: _scheduler_v1_CancelJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_CancelJobsResponse__Output>): grpc.ClientUnaryCall;
  cancelJobs(argument: _scheduler_v1_CancelJobsRequest, callback: grpc.requestCallback<_scheduler_v1_CancelJobsResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteSchedule(argument: _scheduler_v1_DeleteScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  DeleteSchedule(argument: _scheduler_v1_DeleteScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  DeleteSchedule(argument: _scheduler_v1_DeleteScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  DeleteSchedule(argument: _scheduler_v1_DeleteScheduleRequest, callback: grpc.requestCallback<_scheduler_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  deleteSchedule(argument: _scheduler_v1_DeleteScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  deleteSchedule(argument: _scheduler_v1_DeleteScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  deleteSchedule(argument: _scheduler_v1_DeleteScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  deleteSchedule(argument: _scheduler_v1_DeleteScheduleRequest, callback: grpc.requestCallback<_scheduler_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
  
  Enqueue(argument: _scheduler_v1_EnqueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_EnqueueResponse__Output>): grpc.ClientUnaryCall;
  Enqueue(argument: _scheduler_v1_EnqueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_EnqueueResponse__Output>): grpc.ClientUnaryCall;
  Enqueue(argument: _scheduler_v1_EnqueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_EnqueueResponse__Output>): grpc.ClientUnaryCall;
  Enqueue(argument: _scheduler_v1_EnqueueRequest, callback: grpc.requestCallback<_scheduler_v1_EnqueueResponse__Output>): grpc.ClientUnaryCall;
  enqueue(argument: _scheduler_v1_EnqueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_EnqueueResponse__Output>): grpc.ClientUnaryCall;
  enqueue(argument: _scheduler_v1_EnqueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_EnqueueResponse__Output>): grpc.ClientUnaryCall;
  enqueue(argument: _scheduler_v1_EnqueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_EnqueueResponse__Output>): grpc.ClientUnaryCall;
  enqueue(argument: _scheduler_v1_EnqueueRequest, callback: grpc.requestCallback<_scheduler_v1_EnqueueResponse__Output>): grpc.ClientUnaryCall;
  
  EnqueueBatch(argument: _scheduler_v1_EnqueueBatchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_EnqueueBatchResponse__Output>): grpc.ClientUnaryCall;
  EnqueueBatch(argument: _scheduler_v1_EnqueueBatchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_EnqueueBatchResponse__Output>): grpc.ClientUnaryCall;
  EnqueueBatch(argument: _scheduler_v1_EnqueueBatchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_EnqueueBatchResponse__Output>): grpc.ClientUnaryCall;
  EnqueueBatch(argument: _scheduler_v1_EnqueueBatchRequest, callback: grpc.requestCallback<_scheduler_v1_EnqueueBatchResponse__Output>): grpc.ClientUnaryCall;
  enqueueBatch(argument: _scheduler_v1_EnqueueBatchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_EnqueueBatchResponse__Output>): grpc.ClientUnaryCall;
  enqueueBatch(argument: _scheduler_v1_EnqueueBatchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_EnqueueBatchResponse__Output>): grpc.ClientUnaryCall;
  enqueueBatch(argument: _scheduler_v1_EnqueueBatchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_EnqueueBatchResponse__Output>): grpc.ClientUnaryCall;
  enqueueBatch(argument: _scheduler_v1_EnqueueBatchRequest, callback: grpc.requestCallback<_scheduler_v1_EnqueueBatchResponse__Output>): grpc.ClientUnaryCall;
  
  ExtendLease(argument: _scheduler_v1_ExtendLeaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ExtendLeaseResponse__Output>): grpc.ClientUnaryCall;
  ExtendLease(argument: _scheduler_v1_ExtendLeaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_ExtendLeaseResponse__Output>): grpc.ClientUnaryCall;
  ExtendLease(argument: _scheduler_v1_ExtendLeaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ExtendLeaseResponse__Output>): grpc.ClientUnaryCall;
  ExtendLease(argument: _scheduler_v1_ExtendLeaseRequest, callback: grpc.requestCallback<_scheduler_v1_ExtendLeaseResponse__Output>): grpc.ClientUnaryCall;
  extendLease(argument: _scheduler_v1_ExtendLeaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ExtendLeaseResponse__Output>): grpc.ClientUnaryCall;
  extendLease(argument: _scheduler_v1_ExtendLeaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_ExtendLeaseResponse__Output>): grpc.ClientUnaryCall;
  extendLease(argument: _scheduler_v1_ExtendLeaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ExtendLeaseResponse__Output>): grpc.ClientUnaryCall;
  extendLease(argument: _scheduler_v1_ExtendLeaseRequest, callback: grpc.requestCallback<_scheduler_v1_ExtendLeaseResponse__Output>): grpc.ClientUnaryCall;
  
  GetJob(argument: _scheduler_v1_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_GetJobResponse__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _scheduler_v1_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_GetJobResponse__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _scheduler_v1_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_GetJobResponse__Output>): grpc.ClientUnaryCall;
  GetJob(argument: _scheduler_v1_GetJobRequest, callback: grpc.requestCallback<_scheduler_v1_GetJobResponse__Output>): grpc.ClientUnaryCall;
  getJob(argument: _scheduler_v1_GetJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_GetJobResponse__Output>): grpc.ClientUnaryCall;
  getJob(argument: _scheduler_v1_GetJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_GetJobResponse__Output>): grpc.ClientUnaryCall;
  getJob(argument: _scheduler_v1_GetJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_GetJobResponse__Output>): grpc.ClientUnaryCall;
  getJob(argument: _scheduler_v1_GetJobRequest, callback: grpc.requestCallback<_scheduler_v1_GetJobResponse__Output>): grpc.ClientUnaryCall;
  
  GetQueueStats(argument: _scheduler_v1_GetQueueStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_GetQueueStatsResponse__Output>): grpc.ClientUnaryCall;
  GetQueueStats(argument: _scheduler_v1_GetQueueStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_GetQueueStatsResponse__Output>): grpc.ClientUnaryCall;
  GetQueueStats(argument: _scheduler_v1_GetQueueStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_GetQueueStatsResponse__Output>): grpc.ClientUnaryCall;
  GetQueueStats(argument: _scheduler_v1_GetQueueStatsRequest, callback: grpc.requestCallback<_scheduler_v1_GetQueueStatsResponse__Output>): grpc.ClientUnaryCall;
  getQueueStats(argument: _scheduler_v1_GetQueueStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_GetQueueStatsResponse__Output>): grpc.ClientUnaryCall;
  getQueueStats(argument: _scheduler_v1_GetQueueStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_GetQueueStatsResponse__Output>): grpc.ClientUnaryCall;
  getQueueStats(argument: _scheduler_v1_GetQueueStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_GetQueueStatsResponse__Output>): grpc.ClientUnaryCall;
  getQueueStats(argument: _scheduler_v1_GetQueueStatsRequest, callback: grpc.requestCallback<_scheduler_v1_GetQueueStatsResponse__Output>): grpc.ClientUnaryCall;
  
  GetSchedule(argument: _scheduler_v1_GetScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_GetScheduleResponse__Output>): grpc.ClientUnaryCall;
  GetSchedule(argument: _scheduler_v1_GetScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_GetScheduleResponse__Output>): grpc.ClientUnaryCall;
  GetSchedule(argument: _scheduler_v1_GetScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_GetScheduleResponse__Output>): grpc.ClientUnaryCall;
  GetSchedule(argument: _scheduler_v1_GetScheduleRequest, callback: grpc.requestCallback<_scheduler_v1_GetScheduleResponse__Output>): grpc.ClientUnaryCall;
  getSchedule(argument: _scheduler_v1_GetScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_GetScheduleResponse__Output>): grpc.ClientUnaryCall;
  getSchedule(argument: _scheduler_v1_GetScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_GetScheduleResponse__Output>): grpc.ClientUnaryCall;
  getSchedule(argument: _scheduler_v1_GetScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_GetScheduleResponse__Output>): grpc.ClientUnaryCall;
  getSchedule(argument: _scheduler_v1_GetScheduleRequest, callback: grpc.requestCallback<_scheduler_v1_GetScheduleResponse__Output>): grpc.ClientUnaryCall;
  
  Lease(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_scheduler_v1_LeaseRequest, _scheduler_v1_LeaseResponse__Output>;
  Lease(options?: grpc.CallOptions): grpc.ClientDuplexStream<_scheduler_v1_LeaseRequest, _scheduler_v1_LeaseResponse__Output>;
  lease(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_scheduler_v1_LeaseRequest, _scheduler_v1_LeaseResponse__Output>;
  lease(options?: grpc.CallOptions): grpc.ClientDuplexStream<_scheduler_v1_LeaseRequest, _scheduler_v1_LeaseResponse__Output>;
  
  ListDeadJobs(argument: _scheduler_v1_ListDeadJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ListDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  ListDeadJobs(argument: _scheduler_v1_ListDeadJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_ListDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  ListDeadJobs(argument: _scheduler_v1_ListDeadJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ListDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  ListDeadJobs(argument: _scheduler_v1_ListDeadJobsRequest, callback: grpc.requestCallback<_scheduler_v1_ListDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  listDeadJobs(argument: _scheduler_v1_ListDeadJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ListDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  listDeadJobs(argument: _scheduler_v1_ListDeadJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_ListDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  listDeadJobs(argument: _scheduler_v1_ListDeadJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ListDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  listDeadJobs(argument: _scheduler_v1_ListDeadJobsRequest, callback: grpc.requestCallback<_scheduler_v1_ListDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  
  ListJobs(argument: _scheduler_v1_ListJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _scheduler_v1_ListJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _scheduler_v1_ListJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  ListJobs(argument: _scheduler_v1_ListJobsRequest, callback: grpc.requestCallback<_scheduler_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _scheduler_v1_ListJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _scheduler_v1_ListJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _scheduler_v1_ListJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  listJobs(argument: _scheduler_v1_ListJobsRequest, callback: grpc.requestCallback<_scheduler_v1_ListJobsResponse__Output>): grpc.ClientUnaryCall;
  
  ListQueues(argument: _scheduler_v1_ListQueuesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  ListQueues(argument: _scheduler_v1_ListQueuesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  ListQueues(argument: _scheduler_v1_ListQueuesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  ListQueues(argument: _scheduler_v1_ListQueuesRequest, callback: grpc.requestCallback<_scheduler_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  listQueues(argument: _scheduler_v1_ListQueuesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  listQueues(argument: _scheduler_v1_ListQueuesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  listQueues(argument: _scheduler_v1_ListQueuesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  listQueues(argument: _scheduler_v1_ListQueuesRequest, callback: grpc.requestCallback<_scheduler_v1_ListQueuesResponse__Output>): grpc.ClientUnaryCall;
  
  ListSchedules(argument: _scheduler_v1_ListSchedulesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  ListSchedules(argument: _scheduler_v1_ListSchedulesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  ListSchedules(argument: _scheduler_v1_ListSchedulesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  ListSchedules(argument: _scheduler_v1_ListSchedulesRequest, callback: grpc.requestCallback<_scheduler_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _scheduler_v1_ListSchedulesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _scheduler_v1_ListSchedulesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _scheduler_v1_ListSchedulesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  listSchedules(argument: _scheduler_v1_ListSchedulesRequest, callback: grpc.requestCallback<_scheduler_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
  
  Nack(argument: _scheduler_v1_NackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_NackResponse__Output>): grpc.ClientUnaryCall;
  Nack(argument: _scheduler_v1_NackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_NackResponse__Output>): grpc.ClientUnaryCall;
  Nack(argument: _scheduler_v1_NackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_NackResponse__Output>): grpc.ClientUnaryCall;
  Nack(argument: _scheduler_v1_NackRequest, callback: grpc.requestCallback<_scheduler_v1_NackResponse__Output>): grpc.ClientUnaryCall;
  nack(argument: _scheduler_v1_NackRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_NackResponse__Output>): grpc.ClientUnaryCall;
  nack(argument: _scheduler_v1_NackRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_NackResponse__Output>): grpc.ClientUnaryCall;
  nack(argument: _scheduler_v1_NackRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_NackResponse__Output>): grpc.ClientUnaryCall;
  nack(argument: _scheduler_v1_NackRequest, callback: grpc.requestCallback<_scheduler_v1_NackResponse__Output>): grpc.ClientUnaryCall;
  
  PauseQueue(argument: _scheduler_v1_PauseQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_PauseQueueResponse__Output>): grpc.ClientUnaryCall;
  PauseQueue(argument: _scheduler_v1_PauseQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_PauseQueueResponse__Output>): grpc.ClientUnaryCall;
  PauseQueue(argument: _scheduler_v1_PauseQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_PauseQueueResponse__Output>): grpc.ClientUnaryCall;
  PauseQueue(argument: _scheduler_v1_PauseQueueRequest, callback: grpc.requestCallback<_scheduler_v1_PauseQueueResponse__Output>): grpc.ClientUnaryCall;
  pauseQueue(argument: _scheduler_v1_PauseQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_PauseQueueResponse__Output>): grpc.ClientUnaryCall;
  pauseQueue(argument: _scheduler_v1_PauseQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_PauseQueueResponse__Output>): grpc.ClientUnaryCall;
  pauseQueue(argument: _scheduler_v1_PauseQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_PauseQueueResponse__Output>): grpc.ClientUnaryCall;
  pauseQueue(argument: _scheduler_v1_PauseQueueRequest, callback: grpc.requestCallback<_scheduler_v1_PauseQueueResponse__Output>): grpc.ClientUnaryCall;
  
  PromoteJob(argument: _scheduler_v1_PromoteJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_PromoteJobResponse__Output>): grpc.ClientUnaryCall;
  PromoteJob(argument: _scheduler_v1_PromoteJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_PromoteJobResponse__Output>): grpc.ClientUnaryCall;
  PromoteJob(argument: _scheduler_v1_PromoteJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_PromoteJobResponse__Output>): grpc.ClientUnaryCall;
  PromoteJob(argument: _scheduler_v1_PromoteJobRequest, callback: grpc.requestCallback<_scheduler_v1_PromoteJobResponse__Output>): grpc.ClientUnaryCall;
  promoteJob(argument: _scheduler_v1_PromoteJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_PromoteJobResponse__Output>): grpc.ClientUnaryCall;
  promoteJob(argument: _scheduler_v1_PromoteJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_PromoteJobResponse__Output>): grpc.ClientUnaryCall;
  promoteJob(argument: _scheduler_v1_PromoteJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_PromoteJobResponse__Output>): grpc.ClientUnaryCall;
  promoteJob(argument: _scheduler_v1_PromoteJobRequest, callback: grpc.requestCallback<_scheduler_v1_PromoteJobResponse__Output>): grpc.ClientUnaryCall;
  
  PurgeDeadJobs(argument: _scheduler_v1_PurgeDeadJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_PurgeDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  PurgeDeadJobs(argument: _scheduler_v1_PurgeDeadJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_PurgeDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  PurgeDeadJobs(argument: _scheduler_v1_PurgeDeadJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_PurgeDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  PurgeDeadJobs(argument: _scheduler_v1_PurgeDeadJobsRequest, callback: grpc.requestCallback<_scheduler_v1_PurgeDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  purgeDeadJobs(argument: _scheduler_v1_PurgeDeadJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_PurgeDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  purgeDeadJobs(argument: _scheduler_v1_PurgeDeadJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_PurgeDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  purgeDeadJobs(argument: _scheduler_v1_PurgeDeadJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_PurgeDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  purgeDeadJobs(argument: _scheduler_v1_PurgeDeadJobsRequest, callback: grpc.requestCallback<_scheduler_v1_PurgeDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  
  RedriveDeadJobs(argument: _scheduler_v1_RedriveDeadJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_RedriveDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  RedriveDeadJobs(argument: _scheduler_v1_RedriveDeadJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_RedriveDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  RedriveDeadJobs(argument: _scheduler_v1_RedriveDeadJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_RedriveDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  RedriveDeadJobs(argument: _scheduler_v1_RedriveDeadJobsRequest, callback: grpc.requestCallback<_scheduler_v1_RedriveDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  redriveDeadJobs(argument: _scheduler_v1_RedriveDeadJobsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_RedriveDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  redriveDeadJobs(argument: _scheduler_v1_RedriveDeadJobsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_RedriveDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  redriveDeadJobs(argument: _scheduler_v1_RedriveDeadJobsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_RedriveDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  redriveDeadJobs(argument: _scheduler_v1_RedriveDeadJobsRequest, callback: grpc.requestCallback<_scheduler_v1_RedriveDeadJobsResponse__Output>): grpc.ClientUnaryCall;
  
  ReportProgress(argument: _scheduler_v1_ReportProgressRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ReportProgressResponse__Output>): grpc.ClientUnaryCall;
  ReportProgress(argument: _scheduler_v1_ReportProgressRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_ReportProgressResponse__Output>): grpc.ClientUnaryCall;
  ReportProgress(argument: _scheduler_v1_ReportProgressRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ReportProgressResponse__Output>): grpc.ClientUnaryCall;
  ReportProgress(argument: _scheduler_v1_ReportProgressRequest, callback: grpc.requestCallback<_scheduler_v1_ReportProgressResponse__Output>): grpc.ClientUnaryCall;
  reportProgress(argument: _scheduler_v1_ReportProgressRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ReportProgressResponse__Output>): grpc.ClientUnaryCall;
  reportProgress(argument: _scheduler_v1_ReportProgressRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_ReportProgressResponse__Output>): grpc.ClientUnaryCall;
  reportProgress(argument: _scheduler_v1_ReportProgressRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ReportProgressResponse__Output>): grpc.ClientUnaryCall;
  reportProgress(argument: _scheduler_v1_ReportProgressRequest, callback: grpc.requestCallback<_scheduler_v1_ReportProgressResponse__Output>): grpc.ClientUnaryCall;
  
  ResumeQueue(argument: _scheduler_v1_ResumeQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ResumeQueueResponse__Output>): grpc.ClientUnaryCall;
  ResumeQueue(argument: _scheduler_v1_ResumeQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_ResumeQueueResponse__Output>): grpc.ClientUnaryCall;
  ResumeQueue(argument: _scheduler_v1_ResumeQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ResumeQueueResponse__Output>): grpc.ClientUnaryCall;
  ResumeQueue(argument: _scheduler_v1_ResumeQueueRequest, callback: grpc.requestCallback<_scheduler_v1_ResumeQueueResponse__Output>): grpc.ClientUnaryCall;
  resumeQueue(argument: _scheduler_v1_ResumeQueueRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ResumeQueueResponse__Output>): grpc.ClientUnaryCall;
  resumeQueue(argument: _scheduler_v1_ResumeQueueRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_ResumeQueueResponse__Output>): grpc.ClientUnaryCall;
  resumeQueue(argument: _scheduler_v1_ResumeQueueRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_ResumeQueueResponse__Output>): grpc.ClientUnaryCall;
  resumeQueue(argument: _scheduler_v1_ResumeQueueRequest, callback: grpc.requestCallback<_scheduler_v1_ResumeQueueResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateJob(argument: _scheduler_v1_UpdateJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_UpdateJobResponse__Output>): grpc.ClientUnaryCall;
  UpdateJob(argument: _scheduler_v1_UpdateJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_UpdateJobResponse__Output>): grpc.ClientUnaryCall;
  UpdateJob(argument: _scheduler_v1_UpdateJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_UpdateJobResponse__Output>): grpc.ClientUnaryCall;
  UpdateJob(argument: _scheduler_v1_UpdateJobRequest, callback: grpc.requestCallback<_scheduler_v1_UpdateJobResponse__Output>): grpc.ClientUnaryCall;
  updateJob(argument: _scheduler_v1_UpdateJobRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_UpdateJobResponse__Output>): grpc.ClientUnaryCall;
  updateJob(argument: _scheduler_v1_UpdateJobRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_UpdateJobResponse__Output>): grpc.ClientUnaryCall;
  updateJob(argument: _scheduler_v1_UpdateJobRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_UpdateJobResponse__Output>): grpc.ClientUnaryCall;
  updateJob(argument: _scheduler_v1_UpdateJobRequest, callback: grpc.requestCallback<_scheduler_v1_UpdateJobResponse__Output>): grpc.ClientUnaryCall;
  
  UpsertSchedule(argument: _scheduler_v1_UpsertScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_UpsertScheduleResponse__Output>): grpc.ClientUnaryCall;
  UpsertSchedule(argument: _scheduler_v1_UpsertScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_UpsertScheduleResponse__Output>): grpc.ClientUnaryCall;
  UpsertSchedule(argument: _scheduler_v1_UpsertScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_UpsertScheduleResponse__Output>): grpc.ClientUnaryCall;
  UpsertSchedule(argument: _scheduler_v1_UpsertScheduleRequest, callback: grpc.requestCallback<_scheduler_v1_UpsertScheduleResponse__Output>): grpc.ClientUnaryCall;
  upsertSchedule(argument: _scheduler_v1_UpsertScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_UpsertScheduleResponse__Output>): grpc.ClientUnaryCall;
  upsertSchedule(argument: _scheduler_v1_UpsertScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_scheduler_v1_UpsertScheduleResponse__Output>): grpc.ClientUnaryCall;
  upsertSchedule(argument: _scheduler_v1_UpsertScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_scheduler_v1_UpsertScheduleResponse__Output>): grpc.ClientUnaryCall;
  upsertSchedule(argument: _scheduler_v1_UpsertScheduleRequest, callback: grpc.requestCallback<_scheduler_v1_UpsertScheduleResponse__Output>): grpc.ClientUnaryCall;
  
  WatchJob(argument: _scheduler_v1_WatchJobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_scheduler_v1_WatchJobResponse__Output>;
  WatchJob(argument: _scheduler_v1_WatchJobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_scheduler_v1_WatchJobResponse__Output>;
  watchJob(argument: _scheduler_v1_WatchJobRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_scheduler_v1_WatchJobResponse__Output>;
  watchJob(argument: _scheduler_v1_WatchJobRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_scheduler_v1_WatchJobResponse__Output>;
  
}

export interface SchedulerServiceHandlers extends grpc.UntypedServiceImplementation {
  Ack: grpc.handleUnaryCall<_scheduler_v1_AckRequest__Output, _scheduler_v1_AckResponse>;
  
  CancelJob: grpc.handleUnaryCall<_scheduler_v1_CancelJobRequest__Output, _scheduler_v1_CancelJobResponse>;
  
  CancelJobs: grpc.handleUnaryCall<_scheduler_v1_CancelJobsRequest__Output, _scheduler_v1_CancelJobsResponse>;
  
  DeleteSchedule: grpc.handleUnaryCall<_scheduler_v1_DeleteScheduleRequest__Output, _scheduler_v1_DeleteScheduleResponse>;
  
  Enqueue: grpc.handleUnaryCall<_scheduler_v1_EnqueueRequest__Output, _scheduler_v1_EnqueueResponse>;
  
  EnqueueBatch: grpc.handleUnaryCall<_scheduler_v1_EnqueueBatchRequest__Output, _scheduler_v1_EnqueueBatchResponse>;
  
  ExtendLease: grpc.handleUnaryCall<_scheduler_v1_ExtendLeaseRequest__Output, _scheduler_v1_ExtendLeaseResponse>;
  
  GetJob: grpc.handleUnaryCall<_scheduler_v1_GetJobRequest__Output, _scheduler_v1_GetJobResponse>;
  
  GetQueueStats: grpc.handleUnaryCall<_scheduler_v1_GetQueueStatsRequest__Output, _scheduler_v1_GetQueueStatsResponse>;
  
  GetSchedule: grpc.handleUnaryCall<_scheduler_v1_GetScheduleRequest__Output, _scheduler_v1_GetScheduleResponse>;
  
  Lease: grpc.handleBidiStreamingCall<_scheduler_v1_LeaseRequest__Output, _scheduler_v1_LeaseResponse>;
  
  ListDeadJobs: grpc.handleUnaryCall<_scheduler_v1_ListDeadJobsRequest__Output, _scheduler_v1_ListDeadJobsResponse>;
  
  ListJobs: grpc.handleUnaryCall<_scheduler_v1_ListJobsRequest__Output, _scheduler_v1_ListJobsResponse>;
  
  ListQueues: grpc.handleUnaryCall<_scheduler_v1_ListQueuesRequest__Output, _scheduler_v1_ListQueuesResponse>;
  
  ListSchedules: grpc.handleUnaryCall<_scheduler_v1_ListSchedulesRequest__Output, _scheduler_v1_ListSchedulesResponse>;
  
  Nack: grpc.handleUnaryCall<_scheduler_v1_NackRequest__Output, _scheduler_v1_NackResponse>;
  
  PauseQueue: grpc.handleUnaryCall<_scheduler_v1_PauseQueueRequest__Output, _scheduler_v1_PauseQueueResponse>;
  
  PromoteJob: grpc.handleUnaryCall<_scheduler_v1_PromoteJobRequest__Output, _scheduler_v1_PromoteJobResponse>;
  
  PurgeDeadJobs: grpc.handleUnaryCall<_scheduler_v1_PurgeDeadJobsRequest__Output, _scheduler_v1_PurgeDeadJobsResponse>;
  
  RedriveDeadJobs: grpc.handleUnaryCall<_scheduler_v1_RedriveDeadJobsRequest__Output, _scheduler_v1_RedriveDeadJobsResponse>;
  
  ReportProgress: grpc.handleUnaryCall<_scheduler_v1_ReportProgressRequest__Output, _scheduler_v1_ReportProgressResponse>;
  
  ResumeQueue: grpc.handleUnaryCall<_scheduler_v1_ResumeQueueRequest__Output, _scheduler_v1_ResumeQueueResponse>;
  
  UpdateJob: grpc.handleUnaryCall<_scheduler_v1_UpdateJobRequest__Output, _scheduler_v1_UpdateJobResponse>;
  
  UpsertSchedule: grpc.handleUnaryCall<_scheduler_v1_UpsertScheduleRequest__Output, _scheduler_v1_UpsertScheduleResponse>;
  
  WatchJob: grpc.handleServerStreamingCall<_scheduler_v1_WatchJobRequest__Output, _scheduler_v1_WatchJobResponse>;
  
}

export interface SchedulerServiceDefinition extends grpc.ServiceDefinition {
  Ack: MethodDefinition<_scheduler_v1_AckRequest, _scheduler_v1_AckResponse, _scheduler_v1_AckRequest__Output, _scheduler_v1_AckResponse__Output>
  CancelJob: MethodDefinition<_scheduler_v1_CancelJobRequest, _scheduler_v1_CancelJobResponse, _scheduler_v1_CancelJobRequest__Output, _scheduler_v1_CancelJobResponse__Output>
  CancelJobs: MethodDefinition<_scheduler_v1_CancelJobsRequest, _scheduler_v1_CancelJobsResponse, _scheduler_v1_CancelJobsRequest__Output, _scheduler_v1_CancelJobsResponse__Output>
  DeleteSchedule: MethodDefinition<_scheduler_v1_DeleteScheduleRequest, _scheduler_v1_DeleteScheduleResponse, _scheduler_v1_DeleteScheduleRequest__Output, _scheduler_v1_DeleteScheduleResponse__Output>
  Enqueue: MethodDefinition<_scheduler_v1_EnqueueRequest, _scheduler_v1_EnqueueResponse, _scheduler_v1_EnqueueRequest__Output, _scheduler_v1_EnqueueResponse__Output>
  EnqueueBatch: MethodDefinition<_scheduler_v1_EnqueueBatchRequest, _scheduler_v1_EnqueueBatchResponse, _scheduler_v1_EnqueueBatchRequest__Output, _scheduler_v1_EnqueueBatchResponse__Output>
  ExtendLease: MethodDefinition<_scheduler_v1_ExtendLeaseRequest, _scheduler_v1_ExtendLeaseResponse, _scheduler_v1_ExtendLeaseRequest__Output, _scheduler_v1_ExtendLeaseResponse__Output>
  GetJob: MethodDefinition<_scheduler_v1_GetJobRequest, _scheduler_v1_GetJobResponse, _scheduler_v1_GetJobRequest__Output, _scheduler_v1_GetJobResponse__Output>
  GetQueueStats: MethodDefinition<_scheduler_v1_GetQueueStatsRequest, _scheduler_v1_GetQueueStatsResponse, _scheduler_v1_GetQueueStatsRequest__Output, _scheduler_v1_GetQueueStatsResponse__Output>
  GetSchedule: MethodDefinition<_scheduler_v1_GetScheduleRequest, _scheduler_v1_GetScheduleResponse, _scheduler_v1_GetScheduleRequest__Output, _scheduler_v1_GetScheduleResponse__Output>
  Lease: MethodDefinition<_scheduler_v1_LeaseRequest, _scheduler_v1_LeaseResponse, _scheduler_v1_LeaseRequest__Output, _scheduler_v1_LeaseResponse__Output>
  ListDeadJobs: MethodDefinition<_scheduler_v1_ListDeadJobsRequest, _scheduler_v1_ListDeadJobsResponse, _scheduler_v1_ListDeadJobsRequest__Output, _scheduler_v1_ListDeadJobsResponse__Output>
  ListJobs: MethodDefinition<_scheduler_v1_ListJobsRequest, _scheduler_v1_ListJobsResponse, _scheduler_v1_ListJobsRequest__Output, _scheduler_v1_ListJobsResponse__Output>
  ListQueues: MethodDefinition<_scheduler_v1_ListQueuesRequest, _scheduler_v1_ListQueuesResponse, _scheduler_v1_ListQueuesRequest__Output, _scheduler_v1_ListQueuesResponse__Output>
  ListSchedules: MethodDefinition<_scheduler_v1_ListSchedulesRequest, _scheduler_v1_ListSchedulesResponse, _scheduler_v1_ListSchedulesRequest__Output, _scheduler_v1_ListSchedulesResponse__Output>
  Nack: MethodDefinition<_scheduler_v1_NackRequest, _scheduler_v1_NackResponse, _scheduler_v1_NackRequest__Output, _scheduler_v1_NackResponse__Output>
  PauseQueue: MethodDefinition<_scheduler_v1_PauseQueueRequest, _scheduler_v1_PauseQueueResponse, _scheduler_v1_PauseQueueRequest__Output, _scheduler_v1_PauseQueueResponse__Output>
  PromoteJob: MethodDefinition<_scheduler_v1_PromoteJobRequest, _scheduler_v1_PromoteJobResponse, _scheduler_v1_PromoteJobRequest__Output, _scheduler_v1_PromoteJobResponse__Output>
  PurgeDeadJobs: MethodDefinition<_scheduler_v1_PurgeDeadJobsRequest, _scheduler_v1_PurgeDeadJobsResponse, _scheduler_v1_PurgeDeadJobsRequest__Output, _scheduler_v1_PurgeDeadJobsResponse__Output>
  RedriveDeadJobs: MethodDefinition<_scheduler_v1_RedriveDeadJobsRequest, _scheduler_v1_RedriveDeadJobsResponse, _scheduler_v1_RedriveDeadJobsRequest__Output, _scheduler_v1_RedriveDeadJobsResponse__Output>
  ReportProgress: MethodDefinition<_scheduler_v1_ReportProgressRequest, _scheduler_v1_ReportProgressResponse, _scheduler_v1_ReportProgressRequest__Output, _scheduler_v1_ReportProgressResponse__Output>
  ResumeQueue: MethodDefinition<_scheduler_v1_ResumeQueueRequest, _scheduler_v1_ResumeQueueResponse, _scheduler_v1_ResumeQueueRequest__Output, _scheduler_v1_ResumeQueueResponse__Output>
  UpdateJob: MethodDefinition<_scheduler_v1_UpdateJobRequest, _scheduler_v1_UpdateJobResponse, _scheduler_v1_UpdateJobRequest__Output, _scheduler_v1_UpdateJobResponse__Output>
  UpsertSchedule: MethodDefinition<_scheduler_v1_UpsertScheduleRequest, _scheduler_v1_UpsertScheduleResponse, _scheduler_v1_UpsertScheduleRequest__Output, _scheduler_v1_UpsertScheduleResponse__Output>
  WatchJob: MethodDefinition<_scheduler_v1_WatchJobRequest, _scheduler_v1_WatchJobResponse, _scheduler_v1_WatchJobRequest__Output, _scheduler_v1_WatchJobResponse__Output>
}
