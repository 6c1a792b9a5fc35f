/**
 * Without an OpenTelemetry SDK in the process (this file registers none) the SDK's tracing does
 * nothing: headers go out as given and handlers run as they are.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { processInSpan, withTraceContext } from '../../src/clients/tracing';
import type { Job } from '../../src/clients';

describe('tracing without an OpenTelemetry SDK', () => {
  it('sends the headers as given: the same object, no traceparent added', () => {
    const headers = { source: 'checkout' };
    trace.getTracer('app').startActiveSpan('request', (span) => {
      assert.equal(withTraceContext(headers), headers);
      assert.equal(withTraceContext(undefined), undefined);
      span.end();
    });
  });

  it('runs the handler and passes on its result and its error', async () => {
    const job = { id: 'q/1', queue: 'q', headers: {} } as unknown as Job;
    assert.equal(await processInSpan(job, 'link', () => 42, undefined), 42);
    await assert.rejects(
      processInSpan(job, 'parent', () => Promise.reject(new Error('boom')), undefined),
      /boom/,
    );
  });
});
