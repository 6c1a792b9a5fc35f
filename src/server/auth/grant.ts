/**
 * What one caller may do: scopes (which RPCs), queues and tenants (which data). A denial is a
 * PERMISSION_DENIED that names the token and what was refused, so an operator reading a client's
 * error knows which grant to widen. Token names are labels, not secrets.
 */
import { SchedulerError } from '../../scheduler/errors';

/**
 * - enqueue: Enqueue, EnqueueBatch
 * - lease:   Lease, Ack, Nack, ExtendLease, ReportProgress
 * - read:    GetJob, WatchJob, GetQueueStats, ListJobs, ListDeadJobs, ListQueues
 * - admin:   CancelJob, RedriveDeadJobs, PauseQueue, ResumeQueue, UpdateJob, PromoteJob,
 *            CancelJobs, PurgeDeadJobs, and everything `read` allows
 * - schedule: UpsertSchedule, DeleteSchedule, GetSchedule, ListSchedules (a schedule enqueues
 *            for its template's tenant, so the queue and tenant grants apply as for Enqueue)
 */
export const SCOPES = ['enqueue', 'lease', 'read', 'admin', 'schedule'] as const;
export type Scope = (typeof SCOPES)[number];

/** `*` (everything), `prefix*`, or an exact name. */
export const PATTERN = /^(\*|[A-Za-z0-9._:-]{1,128}\*?)$/;

class Patterns {
  readonly all: boolean;
  private readonly exact: Set<string>;
  private readonly prefixes: string[];

  constructor(readonly list: readonly string[]) {
    this.all = list.includes('*');
    this.exact = new Set(list.filter((p) => !p.endsWith('*')));
    this.prefixes = list.filter((p) => p.endsWith('*')).map((p) => p.slice(0, -1));
  }

  matches(name: string): boolean {
    return this.all || this.exact.has(name) || this.prefixes.some((p) => name.startsWith(p));
  }
}

export class Grant {
  private readonly queues: Patterns;
  private readonly tenants: Patterns;

  constructor(
    /** The token's name, for messages and logs. */
    readonly name: string,
    private readonly scopes: ReadonlySet<Scope>,
    queues: readonly string[],
    tenants: readonly string[],
  ) {
    this.queues = new Patterns(queues);
    this.tenants = new Patterns(tenants);
  }

  /** Everything: the grant of every call when authentication is off. */
  static readonly ALL = new Grant('anonymous', new Set(SCOPES), ['*'], ['*']);

  /** True when the token may act for any tenant (queue-wide reads need it). */
  get allTenants(): boolean {
    return this.tenants.all;
  }

  /** One of `scopes` is enough (GetSchedule takes `read` or `schedule`). */
  requireScope(scopes: Scope | readonly Scope[], method: string): void {
    const wanted: readonly Scope[] = typeof scopes === 'string' ? [scopes] : scopes;
    for (const scope of wanted) {
      if (this.scopes.has(scope) || (scope === 'read' && this.scopes.has('admin'))) return;
    }
    throw this.denied(
      `${method} needs scope ${wanted.join(' or ')} (token has ${[...this.scopes].join(', ')})`,
      undefined,
    );
  }

  requireQueue(queue: string, field = 'queue'): void {
    const err = this.queueDenied(queue, field);
    if (err) throw err;
  }

  requireTenant(tenant: string, field = 'tenant_id'): void {
    const err = this.tenantDenied(tenant, field);
    if (err) throw err;
  }

  /** Queue-wide operations show or change every tenant's jobs. */
  requireAllTenants(method: string, queue: string): void {
    if (this.tenants.all) return;
    throw this.denied(
      `${method} on queue ${queue} spans every tenant; token is limited to tenants ${this.tenants.list.join(', ')}`,
      undefined,
    );
  }

  queueDenied(queue: string, field = 'queue'): SchedulerError | undefined {
    if (this.queues.matches(queue)) return undefined;
    return this.denied(
      `${field}: queue ${queue} is not granted (granted: ${this.queues.list.join(', ')})`,
      field,
    );
  }

  tenantDenied(tenant: string, field = 'tenant_id'): SchedulerError | undefined {
    if (this.tenants.matches(tenant)) return undefined;
    return this.denied(
      `${field}: tenant ${tenant} is not granted (granted: ${this.tenants.list.join(', ')})`,
      field,
    );
  }

  private denied(what: string, field: string | undefined): SchedulerError {
    return new SchedulerError('permission_denied', `token ${this.name}: ${what}`, { field });
  }
}
