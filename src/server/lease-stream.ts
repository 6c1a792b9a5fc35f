/**
 * The Lease bidi stream. The first message names the queue (and visibility timeout); every
 * message may grant credits and carry inline acks, nacks and releases (jobs handed back unstarted). Jobs come from the Dispatcher, which
 * never hands a stream more than its credits, so a stream never has more un-acked jobs out than
 * it was granted. A failed inline settle is reported in `settle_errors`; the stream goes on.
 * When a job this stream delivered is cancelled (on any replica), the stream says so in
 * `cancelled`. Responses say in `settled_through` how many of the worker's messages have had
 * their settles applied, so the worker can forget them (it resends unconfirmed ones by unary call
 * when a stream breaks).
 */
import { status, type ServerDuplexStream } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { AckRequest__Output } from '../generated/scheduler/v1/AckRequest';
import type { LeaseNack__Output } from '../generated/scheduler/v1/LeaseNack';
import type { LeaseRequest__Output } from '../generated/scheduler/v1/LeaseRequest';
import type { LeaseResponse } from '../generated/scheduler/v1/LeaseResponse';
import type { ReportProgressRequest__Output } from '../generated/scheduler/v1/ReportProgressRequest';
import type { SettleResult } from '../generated/scheduler/v1/SettleResult';
import { RIDE_MAX, type Consumer, type Dispatcher } from '../scheduler/dispatcher';
import { isSchedulerError } from '../scheduler/errors';
import { parseLeaseId } from '../scheduler/ids';
import type { LeasedJob } from '../scheduler/job';
import type { Scheduler } from '../scheduler/scheduler';
import type { JobEvent, JobEventSource } from '../scheduler/store';
import { checkDuration, checkName } from '../scheduler/validation';
import type { Authenticator } from './auth/authenticator';
import { Grant } from './auth/grant';
import { durationMs, leasedJobBytes, toProtoLeasedJob } from './convert';
import { HeldLeases } from './held-leases';
import type { Metrics } from './metrics';
import { statusName, toWireError, type WireError } from './status';
import type { Tracing } from './tracing';

type LeaseCall = ServerDuplexStream<LeaseRequest__Output, LeaseResponse>;

export const DEFAULT_VISIBILITY_MS = 30_000;
/** grpc clients refuse messages over 4 MiB by default: jobs are packed into messages below it. */
export const MAX_RESPONSE_BYTES = 3.5 * 1024 * 1024;
/** Longest lease id a settle error echoes: a well-formed one is at most 210 (queue/seq/token). */
const MAX_ECHOED_ID = 1024;
/**
 * How long a settle confirmation waits for a response to ride on before it goes alone. A busy
 * stream writes jobs all the time and never sends one alone; a quiet one sends at most one per
 * this interval, and only after settles completed.
 */
export const CONFIRM_DELAY_MS = 50;

export interface LeaseDeps {
  scheduler: Pick<
    Scheduler,
    'ackMany' | 'nack' | 'release' | 'checkSettleCount' | 'reportProgress'
  >;
  /** Cancelled leases, from whichever replica cancelled them. */
  events: JobEventSource;
  dispatcher: Dispatcher;
  metrics: Metrics;
  log: Logger;
  auth: Authenticator;
  tracing: Tracing;
  /** A stream that names no queue by then ends with INVALID_ARGUMENT (LEASE_OPEN_TIMEOUT_MS). */
  openTimeoutMs: number;
}

/** Every open Lease stream of a server, so shutdown can end them. */
export class LeaseStreams {
  private readonly sessions = new Set<LeaseStream>();
  private draining = false;

  constructor(private readonly deps: LeaseDeps) {}

  readonly handle = (call: LeaseCall): void => {
    let grant = Grant.ALL;
    let refused: WireError | undefined;
    try {
      grant = this.deps.auth.authorize(call.metadata, 'Lease');
    } catch (err) {
      refused = toWireError(err, { method: 'Lease', log: this.deps.log });
      this.deps.log.info(
        { method: 'Lease', peer: call.getPeer(), reason: refused.details },
        'refused',
      );
    }
    const session = new LeaseStream(call, this.deps, grant, () => this.sessions.delete(session));
    if (refused) void session.end(refused);
    else if (this.draining) void session.end(SHUTTING_DOWN);
    else this.sessions.add(session);
  };

  /** Ends every stream with UNAVAILABLE so workers reconnect to another replica. */
  async closeAll(): Promise<void> {
    this.draining = true;
    await Promise.all([...this.sessions].map((s) => s.end(SHUTTING_DOWN)));
  }
}

const SHUTTING_DOWN: WireError = {
  code: status.UNAVAILABLE,
  details: 'server is shutting down: reconnect (to another replica)',
};

/** One Lease call: its queue, its consumer in the dispatcher, and its inline settles. */
class LeaseStream {
  private consumer: Consumer | undefined;
  private queue = '';
  private visibilityMs = DEFAULT_VISIBILITY_MS;
  /** No more jobs or settles are taken. */
  private closed = false;
  /** The call is over: nothing more may be written. */
  private ended = false;
  private readonly settling = new Set<Promise<void>>();
  private readonly stopTimer: (code: string) => void;
  private openTimer: NodeJS.Timeout | undefined;
  private readonly held = new HeldLeases();
  private unlisten: Promise<(() => void) | undefined> | undefined;
  /** The first message was taken; jobs flow once cancel notices can be heard (startLeasing). */
  private opened = false;
  /** Credits granted before then. */
  private early = 0;
  /** Messages taken from the worker, the first included: the last one's number. */
  private received = 0;
  /** Numbers of the messages whose settles are still being applied, in ascending order. */
  private readonly unsettled = new Set<number>();
  /** The settled_through last written. */
  private confirmed = 0;
  /** A settle confirmation waits for a response to ride on (confirmSoon). */
  private confirmTimer: NodeJS.Timeout | undefined;
  /** Whether a response was written since confirmTimer was armed. */
  private wrote = false;

  constructor(
    private readonly call: LeaseCall,
    private readonly deps: LeaseDeps,
    private readonly grant: Grant,
    private readonly onClosed: () => void,
  ) {
    this.stopTimer = deps.metrics.timeRpc('Lease');
    deps.metrics.leaseStreams.inc();
    call.on('data', (req: LeaseRequest__Output) => this.onMessage(req));
    call.on('end', () => void this.end()); // the worker half-closed: finish with OK
    call.on('cancelled', () => this.abandon('CANCELLED'));
    call.on('error', () => this.abandon('CANCELLED'));
    call.on('drain', () => this.consumer?.resume());
    this.openTimer = setTimeout(() => {
      void this.end({
        code: status.INVALID_ARGUMENT,
        details: `queue: no first message within ${deps.openTimeoutMs} ms`,
      });
    }, deps.openTimeoutMs);
  }

  /** Ends the stream after pending settles: OK, or the given status. */
  async end(error?: WireError): Promise<void> {
    if (this.closed) return;
    this.close(statusName(error?.code ?? status.OK));
    await Promise.allSettled([...this.settling]);
    if (this.ended) return;
    this.ended = true;
    if (error) this.call.emit('error', error);
    else this.call.end();
  }

  private deliver(jobs: LeasedJob[]): void {
    for (const { leaseId } of jobs) this.held.add(leaseId);
    for (const chunk of packBySize(jobs, MAX_RESPONSE_BYTES, leasedJobBytes)) {
      const open = this.write({ jobs: chunk.map(toProtoLeasedJob) });
      if (!open) this.consumer?.pause(); // resumed on 'drain'
    }
    this.deps.metrics.observeLeased(this.queue, jobs, this.visibilityMs);
    this.deps.tracing.received(this.queue, jobs);
  }

  /** Writes a response, with settled_through when it has advanced since last written. */
  private write(res: LeaseResponse): boolean {
    const through = this.settledThrough();
    if (through > this.confirmed) {
      res.settledThrough = through;
      this.confirmed = through;
    }
    this.wrote = true;
    return this.call.write(res);
  }

  /** The highest k such that the settles of messages 1..k are all done. */
  private settledThrough(): number {
    const [first] = this.unsettled; // the oldest message still being settled
    return first === undefined ? this.received : first - 1;
  }

  /**
   * Settles completed: their confirmation rides on the next response, or goes alone after
   * CONFIRM_DELAY_MS if the stream wrote nothing meanwhile (the worker acked its last jobs and
   * the queue is empty). Never a message per settle on a busy stream.
   */
  private confirmSoon(): void {
    if (this.closed || this.confirmTimer || this.settledThrough() <= this.confirmed) return;
    this.wrote = false;
    this.confirmTimer = setTimeout(() => {
      this.confirmTimer = undefined;
      if (this.ended || this.settledThrough() <= this.confirmed) return;
      if (this.wrote) this.confirmSoon();
      else this.write({});
    }, CONFIRM_DELAY_MS);
  }

  private onMessage(req: LeaseRequest__Output): void {
    if (this.closed) return;
    const message = ++this.received;
    clearTimeout(this.openTimer);
    if (!this.opened && !this.open(req)) return;
    if (req.queue !== '' && req.queue !== this.queue) {
      void this.end({
        code: status.INVALID_ARGUMENT,
        details: 'queue: cannot change on an open stream',
      });
      return;
    }
    try {
      this.deps.scheduler.checkSettleCount(
        req.acks.length +
          req.nacks.length +
          req.releases.length +
          req.resultAcks.length +
          req.progress.length,
      );
    } catch (err) {
      void this.end(toWireError(err, { method: 'Lease', log: this.deps.log }));
      return;
    }
    // A few acks are handed over first, so they wait for the lease call the credits start and
    // ride on it (one script call acks and leases). Many go after the credits, so the lease call
    // reaches Redis ahead of them (and of the work of checking them): see RIDE_MAX.
    const ride = req.acks.length + req.resultAcks.length <= RIDE_MAX;
    const settle = (): void =>
      this.settle(message, req.acks, req.nacks, req.releases, req.resultAcks, req.progress);
    if (ride) settle();
    if (req.credits > 0 && this.consumer) this.consumer.grant(req.credits);
    else this.early += req.credits;
    if (!ride) settle();
  }

  private open(req: LeaseRequest__Output): boolean {
    try {
      this.queue = checkName('queue', req.queue);
      this.grant.requireQueue(this.queue);
      const visibility = durationMs(req.visibilityTimeout) ?? DEFAULT_VISIBILITY_MS;
      const visibilityMs = checkDuration('visibility_timeout', visibility, 1);
      this.visibilityMs = visibilityMs;
      this.opened = true;
      this.unlisten = this.deps.events
        .listen(this.queue, (event) => this.onEvent(event), false)
        .catch((err: unknown) => {
          this.deps.log.warn({ err, queue: this.queue }, 'no cancel notices for a lease stream');
          return undefined;
        });
      void this.unlisten.then(() => this.startLeasing());
      this.deps.log.debug(
        { queue: this.queue, visibilityMs, peer: this.call.getPeer() },
        'lease stream open',
      );
      return true;
    } catch (err) {
      void this.end(toWireError(err, { method: 'Lease', log: this.deps.log }));
      return false;
    }
  }

  /**
   * Takes jobs from the dispatcher once subscribed to the queue's cancel notices: a job cancelled
   * right after its delivery is then heard of. Costs the first stream of a queue on a replica
   * one SUBSCRIBE round trip; later ones share the subscription.
   */
  private startLeasing(): void {
    if (this.closed) return;
    this.consumer = this.deps.dispatcher.register(this.queue, this.visibilityMs, (jobs) =>
      this.deliver(jobs),
    );
    this.deps.metrics.queueStreams.inc({ queue: this.deps.metrics.queue(this.queue) });
    if (this.early > 0) this.consumer.grant(this.early);
    this.early = 0;
  }

  /** A job this stream holds was cancelled: tell the worker, once. */
  private onEvent(event: JobEvent): void {
    if (event.kind !== 'cancelled' || this.ended || !this.held.release(event.leaseId)) return;
    this.write({ cancelled: [event.leaseId] });
  }

  /**
   * Applies the settles of the worker's message number `message`; its settle errors are written
   * before it counts as settled, so no settled_through goes out ahead of them.
   */
  private settle(
    message: number,
    acks: string[],
    nacks: LeaseNack__Output[],
    releases: string[],
    resultAcks: AckRequest__Output[],
    progress: ReportProgressRequest__Output[],
  ): void {
    const count = acks.length + nacks.length + releases.length + resultAcks.length;
    if (count + progress.length === 0) return;
    for (const id of [...acks, ...releases]) this.held.release(id);
    for (const n of nacks) this.held.release(n.leaseId);
    for (const a of resultAcks) this.held.release(a.leaseId);
    const results = [
      this.ackAll(acks),
      ...(resultAcks.length > 0 ? [this.ackResults(resultAcks)] : []),
      ...nacks.map((n) => this.nack(n)),
      ...releases.map((id) => this.release(id)),
      ...progress.map((p) => this.progress(p)),
    ];
    this.unsettled.add(message);
    const done = Promise.all(results).then((outcomes) => {
      const failed = outcomes.flat().filter((o): o is SettleResult => o !== undefined);
      if (!this.ended)
        for (const settleErrors of packBySize(failed, MAX_RESPONSE_BYTES, settleResultBytes))
          this.write({ settleErrors });
      this.unsettled.delete(message);
      this.confirmSoon();
    });
    this.settling.add(done);
    void done.finally(() => this.settling.delete(done));
  }

  /** The acks of one message: one script call per queue, a settle error per failed lease. */
  private async ackAll(leaseIds: string[], results?: Buffer[]): Promise<SettleResult[]> {
    if (leaseIds.length === 0) return [];
    const allowed: string[] = [];
    const allowedResults: Buffer[] = [];
    const failed: SettleResult[] = [];
    leaseIds.forEach((id, i) => {
      try {
        this.grant.requireQueue(parseLeaseId(id).queue, 'lease_id');
        allowed.push(id);
        if (results) allowedResults.push(results[i]!);
      } catch (err) {
        failed.push(this.settleError(id, err));
      }
    });
    try {
      const { scheduler, tracing } = this.deps;
      const errors = await tracing.settle('ack', allowed, () =>
        scheduler.ackMany(allowed, allowedResults, this.consumer),
      );
      const acked: string[] = [];
      allowed.forEach((id, i) => {
        const error = errors[i];
        if (error) failed.push(this.settleError(id, error));
        else acked.push(id);
      });
      this.deps.metrics.countSettled(this.deps.metrics.jobsAcked, acked);
    } catch (err) {
      failed.push(...allowed.map((id) => this.settleError(id, err)));
    }
    return failed;
  }

  /** Acks that carry results: one script call per queue as plain acks. */
  private async ackResults(acks: AckRequest__Output[]): Promise<SettleResult[]> {
    return this.ackAll(
      acks.map((a) => a.leaseId),
      acks.map((a) => a.result),
    );
  }

  private async progress(p: ReportProgressRequest__Output): Promise<SettleResult | undefined> {
    try {
      this.grant.requireQueue(parseLeaseId(p.leaseId).queue, 'lease_id');
      await this.deps.scheduler.reportProgress(p.leaseId, p.progress);
      return undefined;
    } catch (err) {
      return this.settleError(p.leaseId, err);
    }
  }

  private async nack(n: LeaseNack__Output): Promise<SettleResult | undefined> {
    try {
      this.grant.requireQueue(parseLeaseId(n.leaseId).queue, 'lease_id');
      const retryDelayMs = durationMs(n.retryDelay);
      const nack = {
        leaseId: n.leaseId,
        error: n.error,
        retryDelayMs,
        noRetry: n.noRetry,
        snooze: n.snooze,
      };
      await this.deps.tracing.settle('nack', [n.leaseId], () => this.deps.scheduler.nack(nack));
      if (!n.snooze) this.deps.metrics.countSettled(this.deps.metrics.jobsNacked, [n.leaseId]);
      return undefined;
    } catch (err) {
      return this.settleError(n.leaseId, err);
    }
  }

  /** A job the worker received and hands back unstarted: ready now, no attempt counted. */
  private async release(leaseId: string): Promise<SettleResult | undefined> {
    try {
      this.grant.requireQueue(parseLeaseId(leaseId).queue, 'lease_id');
      await this.deps.scheduler.release(leaseId);
      return undefined;
    } catch (err) {
      return this.settleError(leaseId, err);
    }
  }

  /**
   * A lease id longer than any this server issues comes back cut to MAX_ECHOED_ID characters: a
   * settle error must fit in a message a client accepts, however big the bogus id it answers.
   */
  private settleError(leaseId: string, err: unknown): SettleResult {
    const wire = toWireError(err, { method: 'Lease', log: this.deps.log });
    const field = isSchedulerError(err) ? (err.field ?? '') : '';
    const echoed = leaseId.length > MAX_ECHOED_ID ? leaseId.slice(0, MAX_ECHOED_ID) : leaseId;
    return { leaseId: echoed, error: { code: wire.code, message: wire.details, field } };
  }

  /** The worker went away: jobs it holds stay leased and return after their visibility timeout. */
  private abandon(code: string): void {
    this.ended = true;
    if (!this.closed) this.close(code);
  }

  private close(code: string): void {
    this.closed = true;
    clearTimeout(this.openTimer);
    clearTimeout(this.confirmTimer);
    if (this.consumer)
      this.deps.metrics.queueStreams.dec({ queue: this.deps.metrics.queue(this.queue) });
    this.consumer?.close();
    void this.unlisten?.then((off) => off?.());
    this.onClosed();
    this.stopTimer(code);
    this.deps.metrics.leaseStreams.dec();
    this.deps.log.debug({ queue: this.queue, code }, 'lease stream closed');
  }
}

/**
 * Splits items into runs whose encoded size (`sizeOf`, an upper bound) stays under `limit`; one
 * oversized item goes alone.
 */
export function packBySize<T>(items: T[], limit: number, sizeOf: (item: T) => number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && bytes + size > limit) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** An upper bound of a settle error's encoded size. */
function settleResultBytes(result: SettleResult): number {
  const { leaseId = '', error } = result;
  return (
    Buffer.byteLength(leaseId) +
    Buffer.byteLength(error?.message ?? '') +
    Buffer.byteLength(error?.field ?? '') +
    32
  );
}
