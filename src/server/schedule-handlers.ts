/**
 * The schedule RPCs. A schedule enqueues for its template's tenant, so managing one takes the
 * grants an Enqueue of that job would (queue and tenant), and replacing or deleting one also the
 * tenant of the schedule it replaces: a token limited to tenant B cannot take over A's schedule.
 */
import type { SchedulerServiceHandlers } from '../generated/scheduler/v1/SchedulerService';
import { isSchedulerError } from '../scheduler/errors';
import type { Grant } from './auth/grant';
import { toProtoSchedule, toScheduleInput } from './convert-schedule';
import { wrapUnary, type HandlerDeps } from './handlers';

type ScheduleHandlers = Pick<
  SchedulerServiceHandlers,
  'UpsertSchedule' | 'GetSchedule' | 'DeleteSchedule' | 'ListSchedules'
>;

export function scheduleHandlers(deps: HandlerDeps): ScheduleHandlers {
  const { schedules } = deps;
  const unary = <Req, Res>(method: string, run: (req: Req, grant: Grant) => Promise<Res>) =>
    wrapUnary(method, deps, run);
  /** The stored schedule's tenant must be granted too (nothing to check when there is none). */
  const requireStoredTenant = async (grant: Grant, queue: string, id: string): Promise<void> => {
    if (grant.allTenants) return;
    // None, or a bad name the upsert will reject naming the field.
    const stored = await schedules.get(queue, id).catch((err: unknown) => {
      if (isSchedulerError(err) && (err.code === 'not_found' || err.code === 'invalid_argument'))
        return undefined;
      throw err;
    });
    if (stored) grant.requireTenant(stored.template.tenantId, 'schedule_id');
  };
  return {
    UpsertSchedule: unary('UpsertSchedule', async (req, grant) => {
      const input = toScheduleInput(req.schedule);
      grant.requireQueue(input.queue);
      grant.requireTenant(input.template.tenantId, 'template.tenant_id');
      await requireStoredTenant(grant, input.queue, input.scheduleId);
      const { schedule, created } = await schedules.upsert(input);
      return { schedule: toProtoSchedule(schedule), created };
    }),
    GetSchedule: unary('GetSchedule', async (req, grant) => {
      grant.requireQueue(req.queue);
      const schedule = await schedules.get(req.queue, req.scheduleId);
      grant.requireTenant(schedule.template.tenantId, 'schedule_id');
      return { schedule: toProtoSchedule(schedule) };
    }),
    DeleteSchedule: unary('DeleteSchedule', async (req, grant) => {
      grant.requireQueue(req.queue);
      await requireStoredTenant(grant, req.queue, req.scheduleId);
      await schedules.delete(req.queue, req.scheduleId);
      return {};
    }),
    ListSchedules: unary('ListSchedules', async (req, grant) => {
      grant.requireQueue(req.queue);
      grant.requireAllTenants('ListSchedules', req.queue);
      const page = await schedules.list(req.queue, req.pageSize || 100, req.pageToken);
      return { schedules: page.schedules.map(toProtoSchedule), nextPageToken: page.nextPageToken };
    }),
  };
}
