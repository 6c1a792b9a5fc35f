/**
 * Traces through jobs, on in-memory exporters: the SDK producer puts the active context in the
 * job's headers, the server's send / receive / settle spans tie to it, and the Worker runs the
 * handler in a process span linked to it (or parented on it, by option).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type SpanContext,
} from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { SchedulerClient, Worker, permanent, type TraceContextMode } from '../../src/clients';
import type { LeasedJob } from '../../src/scheduler/job';
import { MAX_REMEMBERED_LEASES, OtelTracing } from '../../src/server/tracing';
import { TRACER_NAME } from '../../src/telemetry/messaging';
import { waitFor } from '../clients/helpers';
import { startRedis, uniqueName, type TestRedis } from '../helpers/redis';
import { startTestServer, type TestServer } from '../helpers/server';

const PAYLOAD = 'card=4111-1111-1111-1111';
const SECRET = 'Bearer s3cr3t-t0ken';
const serverSpans = new InMemorySpanExporter();
const clientSpans = new InMemorySpanExporter();
const serverProvider = new BasicTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(serverSpans)],
});
// The application's SDK, registered globally as an application would: the scheduler SDK sees it
// through @opentelemetry/api only.
const appProvider = new NodeTracerProvider({
  spanProcessors: [new SimpleSpanProcessor(clientSpans)],
});
const appTracer = trace.getTracer('app');

let redis: TestRedis;
let server: TestServer;
let client: SchedulerClient;

before(async () => {
  appProvider.register();
  redis = await startRedis();
  const tracing = new OtelTracing(serverProvider.getTracer(TRACER_NAME));
  server = await startTestServer(redis.url, { STATIC_TIERS: 'acme=premium' }, tracing);
  client = new SchedulerClient({ address: server.address });
});

after(async () => {
  client.close();
  await server.stop();
  await redis.stop();
  await appProvider.shutdown();
  trace.disable();
});

beforeEach(() => {
  serverSpans.reset();
  clientSpans.reset();
});

/** Enqueues one job inside an application span; returns the job id and that span's context. */
async function enqueueInSpan(queue: string): Promise<{ jobId: string; origin: SpanContext }> {
  return appTracer.startActiveSpan('checkout', async (span) => {
    const headers = { authorization: SECRET };
    const { jobId } = await client.enqueue({ queue, tenantId: 'acme', payload: PAYLOAD, headers });
    span.end();
    return { jobId, origin: span.spanContext() };
  });
}

/** Runs a worker on `queue` until `done` says so, then closes it. */
async function work(
  queue: string,
  traceContext: TraceContextMode | undefined,
  handler: () => void,
  done: (w: Worker) => boolean,
): Promise<void> {
  const worker = new Worker(client, { queue, traceContext, handler });
  worker.on('error', () => undefined);
  worker.start();
  await waitFor('the worker to finish', () => done(worker));
  await worker.close();
}

function find(spans: ReadableSpan[], name: string): ReadableSpan {
  const span = spans.find((s) => s.name === name);
  assert.ok(span, `a span named ${name} among ${spans.map((s) => s.name).join(', ')}`);
  return span;
}

function linkedTo(span: ReadableSpan, origin: SpanContext): boolean {
  return span.links.some(
    (l) => l.context.traceId === origin.traceId && l.context.spanId === origin.spanId,
  );
}

/** No attribute of any span carries the payload, a header or the tenant. */
function assertNoPayload(spans: ReadableSpan[]): void {
  for (const span of spans) {
    for (const value of Object.values(span.attributes)) {
      for (const secret of ['4111', 's3cr3t', 'acme'])
        assert.ok(!String(value).includes(secret), `${span.name} leaks ${secret}`);
    }
  }
}

describe('tracing through a job', () => {
  it('carries the producer context in headers to send, receive, settle and process spans', async () => {
    const queue = uniqueName();
    const { jobId, origin } = await enqueueInSpan(queue);
    assert.match((await client.getJob(jobId)).headers.traceparent ?? '', new RegExp(origin.spanId));
    await work(
      queue,
      undefined,
      () => undefined,
      (w) => w.stats.succeeded === 1,
    );
    await waitFor('the settle span', () =>
      serverSpans.getFinishedSpans().some((s) => s.name === `settle ${queue}`),
    );

    const spans = serverSpans.getFinishedSpans();
    const send = find(spans, `send ${queue}`);
    assert.equal(send.kind, SpanKind.PRODUCER);
    assert.equal(send.spanContext().traceId, origin.traceId, 'send joins the producer trace');
    assert.equal(send.parentSpanContext?.spanId, origin.spanId);
    assert.deepEqual(send.attributes, {
      'messaging.system': 'priority_scheduler',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'enqueue',
      'messaging.destination.name': queue,
      'messaging.message.id': jobId,
    });
    const receive = find(spans, `receive ${queue}`);
    assert.equal(receive.attributes['messaging.operation.type'], 'receive');
    assert.equal(receive.attributes['messaging.message.id'], jobId);
    assert.ok(linkedTo(receive, origin), 'receive links to the creation context');
    const settle = find(spans, `settle ${queue}`);
    assert.equal(settle.attributes['messaging.operation.name'], 'ack');
    assert.equal(settle.attributes['messaging.message.id'], jobId);
    assert.ok(linkedTo(settle, origin), 'settle links to the creation context');

    const process = find(clientSpans.getFinishedSpans(), `process ${queue}`);
    assert.equal(process.kind, SpanKind.CONSUMER);
    assert.equal(process.attributes['messaging.message.id'], jobId);
    assert.ok(linkedTo(process, origin), 'process links to the creation context');
    assert.notEqual(process.spanContext().traceId, origin.traceId, 'linked, not parented');
    assertNoPayload([...spans, ...clientSpans.getFinishedSpans()]);
  });

  it('parents the process span on the producer context when the worker asks, and marks a failed handler', async () => {
    const queue = uniqueName();
    const { origin } = await enqueueInSpan(queue);
    const fail = (): void => {
      // A span the handler makes is a child of the process span.
      appTracer.startActiveSpan('charge', (span) => span.end());
      throw permanent(new Error('card declined'));
    };
    await work(queue, 'parent', fail, (w) => w.stats.failed === 1);
    await waitFor('the nack span', () =>
      serverSpans
        .getFinishedSpans()
        .some((s) => s.attributes['messaging.operation.name'] === 'nack'),
    );

    const nack = serverSpans
      .getFinishedSpans()
      .find((s) => s.attributes['messaging.operation.name'] === 'nack');
    assert.equal(nack?.name, `settle ${queue}`);
    assert.ok(linkedTo(nack, origin), 'the nack links to the creation context');
    const process = find(clientSpans.getFinishedSpans(), `process ${queue}`);
    assert.equal(process.spanContext().traceId, origin.traceId);
    assert.equal(process.parentSpanContext?.spanId, origin.spanId);
    assert.equal(process.status.code, SpanStatusCode.ERROR);
    const charge = find(clientSpans.getFinishedSpans(), 'charge');
    assert.equal(charge.parentSpanContext?.spanId, process.spanContext().spanId);
  });

  it('links a batch send to each distinct creation context and counts its messages', async () => {
    const queue = uniqueName();
    const a = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const b = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    await client.enqueueBatch(
      [a, a, b].map((traceparent) => ({ queue, tenantId: 'acme', headers: { traceparent } })),
    );
    const send = find(serverSpans.getFinishedSpans(), `send ${queue}`);
    assert.equal(send.attributes['messaging.batch.message_count'], 3);
    assert.deepEqual(
      send.links.map((l) => l.context.spanId),
      ['b7ad6b7169203331', '00f067aa0ba902b7'],
    );
    assert.equal(send.parentSpanContext, undefined, 'no parent among several contexts');
  });

  it('marks a refused enqueue with the error code, and keeps a caller-set traceparent', async () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await appTracer.startActiveSpan('request', async (span) => {
      await assert.rejects(
        client.enqueue({ queue: 'bad queue', tenantId: 'acme', headers: { traceparent } }),
      );
      span.end();
    });
    const send = find(serverSpans.getFinishedSpans(), 'send bad queue');
    assert.equal(send.status.code, SpanStatusCode.ERROR);
    assert.equal(send.attributes['error.type'], 'invalid_argument');
    assert.equal(send.parentSpanContext?.spanId, 'b7ad6b7169203331', 'the header set by hand wins');
  });
});

describe('tracestate', () => {
  it('travels with the traceparent from the producer to the links of the server spans', async () => {
    const queue = uniqueName();
    const upstream = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
      traceState: new TraceState('vendor=opaque-value'),
    });
    const jobId = await appTracer.startActiveSpan('checkout', {}, upstream, async (span) => {
      const { jobId } = await client.enqueue({ queue, tenantId: 'acme' });
      span.end();
      return jobId;
    });
    const { headers } = await client.getJob(jobId);
    assert.equal(headers.tracestate, 'vendor=opaque-value');
    assert.match(headers.traceparent ?? '', /^00-4bf92f3577b34da6a3ce929d0e0e4736-/);
    await work(
      queue,
      undefined,
      () => undefined,
      (w) => w.stats.succeeded === 1,
    );
    const receive = find(serverSpans.getFinishedSpans(), `receive ${queue}`);
    assert.equal(receive.links[0]?.context.traceState?.get('vendor'), 'opaque-value');
  });
});

describe('schedules', () => {
  it('keep the trace context of the upsert call out of the template their runs are made from', async () => {
    const queue = uniqueName();
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await appTracer.startActiveSpan('admin request', async (span) => {
      await client.upsertSchedule({
        queue,
        scheduleId: 'a',
        everyMs: 3_600_000,
        template: { tenantId: 'acme' },
      });
      await client.upsertSchedule({
        queue,
        scheduleId: 'b',
        everyMs: 3_600_000,
        template: { tenantId: 'acme', headers: { traceparent } },
      });
      span.end();
    });
    assert.deepEqual((await client.getSchedule(queue, 'a')).template.headers, {});
    assert.deepEqual(
      (await client.getSchedule(queue, 'b')).template.headers,
      { traceparent },
      'one set by hand is kept',
    );
  });
});

describe('settle spans on the replica that delivered the job', () => {
  /** A delivered job with a creation context of its own (span id from `n`). */
  const leased = (n: number): LeasedJob => {
    const spanId = n.toString(16).padStart(16, '0');
    const traceparent = `00-0af7651916cd43dd8448eb211c80319c-${spanId}-01`;
    const job = { id: `q/${n}`, queue: 'q', headers: { traceparent } };
    return { job, leaseId: `q/${n}/lease`, leaseExpireTime: 0 } as unknown as LeasedJob;
  };
  const settleLinks = async (tracing: OtelTracing, leaseIds: string[]): Promise<string[]> => {
    serverSpans.reset();
    await tracing.settle('ack', leaseIds, () => Promise.resolve());
    return find(serverSpans.getFinishedSpans(), 'settle').links.map((l) => l.context.spanId);
  };

  it('link to what they delivered, once, and keep a bounded number of leases', async () => {
    const tracing = new OtelTracing(serverProvider.getTracer(TRACER_NAME));
    const jobs = Array.from({ length: MAX_REMEMBERED_LEASES + 2 }, (_, i) => leased(i + 1));
    tracing.received('q', jobs);
    const [first, second, third] = jobs.map((j) => j.leaseId);
    const last = jobs[jobs.length - 1]!;
    assert.deepEqual(await settleLinks(tracing, [first!, second!]), [], 'the oldest were dropped');
    assert.deepEqual(await settleLinks(tracing, [third!, last.leaseId]), [
      '0000000000000003',
      last.job.headers.traceparent!.split('-')[2],
    ]);
    assert.deepEqual(await settleLinks(tracing, [last.leaseId]), [], 'forgotten once settled');
  });
});
