/**
 * End to end: a server configured only by OTEL_* variables exports its spans over OTLP/HTTP to a
 * receiver on 127.0.0.1 (a plain node http server that records what arrives), as http/json and
 * as http/protobuf.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startRedis, uniqueName, type TestRedis } from '../helpers/redis';
import { startTestServer, unary } from '../helpers/server';

interface Received {
  path: string;
  contentType: string;
  body: Buffer;
}

/** An OTLP/HTTP receiver that answers every export with success. */
async function startReceiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const contentType = req.headers['content-type'] ?? '';
      received.push({ path: req.url ?? '', contentType, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': contentType });
      res.end(contentType.includes('json') ? '{}' : undefined);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, server };
}

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';
const PARENT_ID = 'b7ad6b7169203331';

let redis: TestRedis;
before(async () => (redis = await startRedis()));
after(() => redis.stop());

/** Runs a server exporting with `protocol`, enqueues one traced job, stops it (which flushes). */
async function exportOneSend(protocol: string): Promise<{ queue: string; received: Received[] }> {
  const receiver = await startReceiver();
  const queue = uniqueName();
  const server = await startTestServer(redis.url, {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
  });
  try {
    const headers = { traceparent: `00-${TRACE_ID}-${PARENT_ID}-01` };
    await unary((cb) => server.client.enqueue({ queue, tenantId: 'acme', headers }, cb));
  } finally {
    await server.stop();
    receiver.server.close();
  }
  return { queue, received: receiver.received };
}

describe('OTLP/HTTP export', () => {
  it('sends spans as http/json', async () => {
    const { queue, received } = await exportOneSend('http/json');
    assert.ok(received.length > 0, 'the receiver got an export');
    assert.ok(received.every((r) => r.path === '/v1/traces'));
    assert.match(received[0]!.contentType, /application\/json/);
    const spans = received.flatMap((r) => {
      const body = JSON.parse(r.body.toString()) as {
        resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<Record<string, unknown>> }> }>;
      };
      return body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    });
    const send = spans.find((s) => s.name === `send ${queue}`);
    assert.ok(send, 'the send span arrived');
    assert.equal(send.traceId, TRACE_ID);
    assert.equal(send.parentSpanId, PARENT_ID);
    assert.match(received[0]!.body.toString(), /"service\.name".*"priority-scheduler"/);
  });

  it('sends spans as http/protobuf', async () => {
    const { queue, received } = await exportOneSend('http/protobuf');
    assert.ok(received.length > 0, 'the receiver got an export');
    assert.ok(received.every((r) => r.path === '/v1/traces'));
    assert.match(received[0]!.contentType, /application\/x-protobuf/);
    const body = Buffer.concat(received.map((r) => r.body));
    // Protobuf carries ids as raw bytes and names as UTF-8: the span is in there, not as JSON.
    assert.ok(body.includes(Buffer.from(TRACE_ID, 'hex')), 'the trace id, as bytes');
    assert.ok(body.includes(Buffer.from(PARENT_ID, 'hex')), 'the parent span id, as bytes');
    assert.ok(body.includes(Buffer.from(`send ${queue}`)), 'the span name');
    assert.ok(!body.includes(Buffer.from(TRACE_ID)), 'no hex ids: not JSON');
  });
});
