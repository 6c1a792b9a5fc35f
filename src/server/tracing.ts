/**
 * The server's spans: `send` for Enqueue and EnqueueBatch, `receive` for jobs written on a Lease
 * stream, `settle` for acks and nacks (messaging semantic conventions, see src/telemetry). Each
 * ties to the jobs' creation context, the W3C `traceparent` in their headers: a send span is
 * parented on it (when its jobs share one) or linked to each; receive and settle spans link.
 * A settle names only lease ids, so the receive span remembers each lease's creation context
 * until it settles (bounded): a settle on the replica that delivered the job links, one on
 * another replica does not (reading the job's headers would cost every ack a Redis read).
 *
 * Handlers make one call into a `Tracing`; NO_TRACING, used when no exporter is configured,
 * runs the operation and nothing else, so tracing off costs a function call.
 */
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { isSchedulerError } from '../scheduler/errors';
import { jobIdOfLease, parseLeaseId } from '../scheduler/ids';
import type { LeasedJob } from '../scheduler/job';
import { ATTR, messagingAttributes, spanName, type OperationType } from '../telemetry/messaging';

/** What an enqueue span needs of each job: its queue and its headers (the creation context). */
export interface TracedJob {
  queue: string;
  headers: Record<string, string>;
}

export interface Tracing {
  /** Runs an enqueue of `jobs` in a `send` span; `ids` names the jobs written, for one job. */
  send<T>(jobs: TracedJob[], run: () => Promise<T>, ids?: (result: T) => string[]): Promise<T>;
  /** Records jobs written on a Lease stream of `queue`. */
  received(queue: string, jobs: LeasedJob[]): void;
  /** Runs acks or nacks of `leaseIds` in a `settle` span. */
  settle<T>(name: 'ack' | 'nack', leaseIds: string[], run: () => Promise<T>): Promise<T>;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

export const NO_TRACING: Tracing = {
  send: (_jobs, run) => run(),
  received: () => undefined,
  settle: (_name, _ids, run) => run(),
  shutdown: () => Promise.resolve(),
};

/** More links than this on one span are dropped (the SDK's default link limit). */
const MAX_LINKS = 128;
/**
 * Creation contexts of delivered leases kept for their settle span; past this the oldest are
 * dropped (a lease that expired or was settled elsewhere is never asked for).
 */
export const MAX_REMEMBERED_LEASES = 10_000;
const getter = {
  keys: (carrier: Record<string, string>) => Object.keys(carrier),
  get: (carrier: Record<string, string>, key: string) => carrier[key],
};

export class OtelTracing implements Tracing {
  private readonly propagator = new W3CTraceContextPropagator();
  /** Lease id -> its job's creation context, from receive to settle; oldest first. */
  private readonly leases = new Map<string, SpanContext>();

  /** @param onShutdown flushes and stops the provider behind `tracer`, when this owns it. */
  constructor(
    private readonly tracer: Tracer,
    private readonly onShutdown: () => Promise<void> = () => Promise.resolve(),
  ) {}

  async send<T>(jobs: TracedJob[], run: () => Promise<T>, ids?: (r: T) => string[]): Promise<T> {
    const queue = onlyQueue(jobs.map((j) => j.queue));
    const origins = distinct(jobs.map((j) => this.creationContext(j.headers)));
    const parent =
      origins.length === 1 ? trace.setSpanContext(ROOT_CONTEXT, origins[0]!) : ROOT_CONTEXT;
    const links = origins.length === 1 ? [] : toLinks(origins);
    const span = this.start('send', 'enqueue', queue, SpanKind.PRODUCER, links, parent);
    if (jobs.length > 1) span.setAttribute(ATTR.batchCount, jobs.length);
    return settled(span, run(), (result) => {
      const written = ids?.(result);
      if (written?.length === 1) span.setAttribute(ATTR.messageId, written[0]!);
    });
  }

  received(queue: string, jobs: LeasedJob[]): void {
    const origins: Array<SpanContext | undefined> = [];
    for (const { job, leaseId } of jobs) {
      const origin = this.creationContext(job.headers);
      if (origin) this.remember(leaseId, origin);
      origins.push(origin);
    }
    const span = this.start(
      'receive',
      'lease',
      queue,
      SpanKind.CONSUMER,
      toLinks(distinct(origins)),
    );
    if (jobs.length === 1) span.setAttribute(ATTR.messageId, jobs[0]!.job.id);
    else span.setAttribute(ATTR.batchCount, jobs.length);
    span.end();
  }

  settle<T>(name: 'ack' | 'nack', leaseIds: string[], run: () => Promise<T>): Promise<T> {
    const queue = onlyQueue(leaseIds.map(queueOfLease));
    const links = toLinks(distinct(leaseIds.map((id) => this.forget(id))));
    const span = this.start('settle', name, queue, SpanKind.CONSUMER, links);
    if (leaseIds.length === 1) {
      const id = jobOfLease(leaseIds[0]!);
      if (id) span.setAttribute(ATTR.messageId, id);
    } else span.setAttribute(ATTR.batchCount, leaseIds.length);
    return settled(span, run());
  }

  shutdown(): Promise<void> {
    return this.onShutdown();
  }

  private start(
    type: OperationType,
    name: string,
    queue: string | undefined,
    kind: SpanKind,
    links: Link[],
    parent: Context = ROOT_CONTEXT,
  ): Span {
    const attributes: Attributes = messagingAttributes(type, name, queue);
    return this.tracer.startSpan(spanName(type, queue), { kind, attributes, links }, parent);
  }

  /** The valid W3C trace context in a job's headers, if any. */
  private creationContext(headers: Record<string, string>): SpanContext | undefined {
    if (!headers.traceparent) return undefined;
    return trace.getSpanContext(this.propagator.extract(ROOT_CONTEXT, headers, getter));
  }

  private remember(leaseId: string, origin: SpanContext): void {
    if (this.leases.size >= MAX_REMEMBERED_LEASES) {
      const oldest = this.leases.keys().next();
      if (!oldest.done) this.leases.delete(oldest.value);
    }
    this.leases.set(leaseId, origin);
  }

  private forget(leaseId: string): SpanContext | undefined {
    const origin = this.leases.get(leaseId);
    this.leases.delete(leaseId);
    return origin;
  }
}

/** The distinct contexts among `contexts`, in order, MAX_LINKS at most. */
function distinct(contexts: Array<SpanContext | undefined>): SpanContext[] {
  const seen = new Set<string>();
  const out: SpanContext[] = [];
  for (const c of contexts) {
    if (out.length >= MAX_LINKS) break;
    if (!c || seen.has(c.traceId + c.spanId)) continue;
    seen.add(c.traceId + c.spanId);
    out.push(c);
  }
  return out;
}

/** The queue when all are the same one; undefined for none or several. */
function onlyQueue(queues: Array<string | undefined>): string | undefined {
  const first = queues[0];
  return first !== undefined && queues.every((q) => q === first) ? first : undefined;
}

function toLinks(contexts: SpanContext[]): Link[] {
  return contexts.map((context) => ({ context }));
}

/** Ends the span with the operation: an error sets its status and `error.type` (the code only). */
async function settled<T>(span: Span, work: Promise<T>, onResult?: (r: T) => void): Promise<T> {
  try {
    const result = await work;
    onResult?.(result);
    return result;
  } catch (err) {
    const type = isSchedulerError(err) ? err.code : 'internal';
    span.setAttribute(ATTR.errorType, type);
    span.setStatus({ code: SpanStatusCode.ERROR, message: type });
    throw err;
  } finally {
    span.end();
  }
}

function queueOfLease(leaseId: string): string | undefined {
  try {
    return parseLeaseId(leaseId).queue;
  } catch {
    return undefined;
  }
}

function jobOfLease(leaseId: string): string | undefined {
  try {
    return jobIdOfLease(parseLeaseId(leaseId));
  } catch {
    return undefined;
  }
}
