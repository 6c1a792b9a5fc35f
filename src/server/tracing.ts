/**
 * The server's spans: `send` for Enqueue and EnqueueBatch, `receive` for jobs written on a Lease
 * stream, `settle` for acks and nacks (messaging semantic conventions, see src/telemetry). Each
 * ties to the jobs' creation context, the W3C `traceparent` in their headers: a send span is
 * parented on it (when its jobs share one) or linked to each; receive and settle spans link.
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
const getter = {
  keys: (carrier: Record<string, string>) => Object.keys(carrier),
  get: (carrier: Record<string, string>, key: string) => carrier[key],
};

export class OtelTracing implements Tracing {
  private readonly propagator = new W3CTraceContextPropagator();

  /** @param onShutdown flushes and stops the provider behind `tracer`, when this owns it. */
  constructor(
    private readonly tracer: Tracer,
    private readonly onShutdown: () => Promise<void> = () => Promise.resolve(),
  ) {}

  async send<T>(jobs: TracedJob[], run: () => Promise<T>, ids?: (r: T) => string[]): Promise<T> {
    const queues = new Set(jobs.map((j) => j.queue));
    const queue = queues.size === 1 ? jobs[0]?.queue : undefined;
    const contexts = this.creationContexts(jobs.map((j) => j.headers));
    const parent = contexts.length === 1 ? contexts[0]! : ROOT_CONTEXT;
    const links = contexts.length === 1 ? [] : toLinks(contexts);
    const span = this.start('send', 'enqueue', queue, SpanKind.PRODUCER, links, parent);
    if (jobs.length > 1) span.setAttribute(ATTR.batchCount, jobs.length);
    return settled(span, run(), (result) => {
      const written = ids?.(result);
      if (written?.length === 1) span.setAttribute(ATTR.messageId, written[0]!);
    });
  }

  received(queue: string, jobs: LeasedJob[]): void {
    const links = toLinks(this.creationContexts(jobs.map((j) => j.job.headers)));
    const span = this.start('receive', 'lease', queue, SpanKind.CONSUMER, links);
    if (jobs.length === 1) span.setAttribute(ATTR.messageId, jobs[0]!.job.id);
    else span.setAttribute(ATTR.batchCount, jobs.length);
    span.end();
  }

  settle<T>(name: 'ack' | 'nack', leaseIds: string[], run: () => Promise<T>): Promise<T> {
    const queue = leaseIds.length > 0 ? queueOfLease(leaseIds[0]!) : undefined;
    const span = this.start('settle', name, queue, SpanKind.CONSUMER, []);
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

  /** The distinct valid trace contexts in the headers, in order, MAX_LINKS at most. */
  private creationContexts(carriers: Array<Record<string, string>>): Context[] {
    const seen = new Set<string>();
    const contexts: Context[] = [];
    for (const carrier of carriers) {
      if (contexts.length >= MAX_LINKS) break;
      if (!carrier.traceparent || seen.has(carrier.traceparent)) continue;
      seen.add(carrier.traceparent);
      const context = this.propagator.extract(ROOT_CONTEXT, carrier, getter);
      if (trace.getSpanContext(context)) contexts.push(context);
    }
    return contexts;
  }
}

function toLinks(contexts: Context[]): Link[] {
  return contexts.map((c) => ({ context: trace.getSpanContext(c)! }));
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
