/**
 * The SDK's tracing, through @opentelemetry/api alone: without an OpenTelemetry SDK in the
 * process every call below is a no-op (no active span, a non-recording span), so an application
 * that does not trace pays nothing but a look at the active context.
 *
 * - A producer puts the active context (W3C `traceparent`/`tracestate`, through the globally
 *   configured propagator) into the headers of each job it enqueues.
 * - A Worker runs each handler in a `process` span, linked to the job's creation context, or by
 *   option parented on it (one trace from the request that made the job to its handler).
 */
import {
  ProxyTracerProvider,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Context,
  type Span,
  type SpanOptions,
} from '@opentelemetry/api';
import { ATTR, TRACER_NAME, messagingAttributes, spanName } from '../telemetry/messaging';
import type { Job } from './types';

/** A proxy: it follows whatever SDK the application registers, before or after this loads. */
const tracer = trace.getTracer(TRACER_NAME);
/** What the API's global provider delegates to while no SDK is registered. */
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();

/**
 * Whether the application registered an OpenTelemetry SDK, asked per job (it may register one
 * later), so that an application without one builds no span options per job. A provider from
 * another copy of the API counts as an SDK (the slower path, still correct).
 */
function sdkRegistered(): boolean {
  const provider = trace.getTracerProvider();
  return !(provider instanceof ProxyTracerProvider && provider.getDelegate() === NOOP_PROVIDER);
}

/**
 * How a Worker's `process` span relates to the context that enqueued the job: `link` (default,
 * the messaging conventions' choice: a job may run long after, in a trace of its own) or `parent`
 * (the handler's spans join the producer's trace).
 */
export type TraceContextMode = 'link' | 'parent';

/**
 * `headers` with the active trace context added; `headers` itself when no span is active or it
 * already carries a `traceparent` (set by a caller in another language or by hand).
 */
export function withTraceContext(
  headers: Record<string, string> | undefined,
): Record<string, string> | undefined {
  if (headers?.traceparent !== undefined) return headers;
  const active = context.active();
  if (trace.getSpan(active) === undefined) return headers;
  const carrier: Record<string, string> = {};
  propagation.inject(active, carrier);
  return Object.keys(carrier).length === 0 ? headers : { ...headers, ...carrier };
}

/**
 * Runs `handler(job, context)` in a `process` span for `job`: ended when it settles, with an
 * error status when it throws. The handler runs with the span active, so its own spans are
 * children of it. Without an SDK the span does not record and the handler is called as it is.
 * (The handler and its context come separately, not as a closure: this runs once per job.)
 */
export function processInSpan<C, T>(
  job: Job,
  mode: TraceContextMode,
  handler: (job: Job, context: C) => Promise<T> | T,
  context: C,
): Promise<T> | T {
  if (!sdkRegistered()) return handler(job, context);
  const span = startProcessSpan(job, mode);
  return span.isRecording() ? runInSpan(span, () => handler(job, context)) : handler(job, context);
}

async function runInSpan<T>(span: Span, handler: () => Promise<T> | T): Promise<T> {
  try {
    return await context.with(trace.setSpan(context.active(), span), handler);
  } catch (err) {
    span.recordException(err instanceof Error ? err : String(err));
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw err;
  } finally {
    span.end();
  }
}

function startProcessSpan(job: Job, mode: TraceContextMode): Span {
  const options: SpanOptions = {
    kind: SpanKind.CONSUMER,
    attributes: {
      ...messagingAttributes('process', 'process', job.queue),
      [ATTR.messageId]: job.id,
    },
  };
  let parent: Context = context.active();
  if (job.headers.traceparent !== undefined) {
    const creation = propagation.extract(ROOT_CONTEXT, job.headers);
    const spanContext = trace.getSpanContext(creation);
    if (spanContext && mode === 'parent') parent = creation;
    else if (spanContext) options.links = [{ context: spanContext }];
  }
  return tracer.startSpan(spanName('process', job.queue), options, parent);
}
