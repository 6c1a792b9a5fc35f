import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import pino from 'pino';
import { SchedulerError, invalidArgument, type ErrorCode } from '../../src/scheduler/errors';
import { decodeFieldViolations } from '../../src/server/error-details';
import { serializeError } from '../../src/server/logger';
import { FIELD_TRAILER, STATUS_OF, toWireError } from '../../src/server/status';

const ctx = { method: 'Test', log: pino({ level: 'silent' }) };

function replyError(message: string): Error {
  const err = new Error(message);
  err.name = 'ReplyError';
  return err;
}

describe('toWireError', () => {
  it('maps every domain error code to its gRPC status', () => {
    const expected: Record<ErrorCode, status> = {
      invalid_argument: status.INVALID_ARGUMENT,
      not_found: status.NOT_FOUND,
      failed_precondition: status.FAILED_PRECONDITION,
      resource_exhausted: status.RESOURCE_EXHAUSTED,
      unavailable: status.UNAVAILABLE,
      unauthenticated: status.UNAUTHENTICATED,
      permission_denied: status.PERMISSION_DENIED,
    };
    assert.deepEqual(STATUS_OF, expected);
    for (const [code, grpcCode] of Object.entries(expected)) {
      const wire = toWireError(new SchedulerError(code as ErrorCode, `boom ${code}`), ctx);
      assert.equal(wire.code, grpcCode);
      assert.equal(wire.details, `boom ${code}`);
    }
  });

  it('names the field at fault in the message, a trailer and a google.rpc.BadRequest', () => {
    const wire = toWireError(invalidArgument('tenant_id', 'must not be empty'), ctx);
    assert.equal(wire.code, status.INVALID_ARGUMENT);
    assert.equal(wire.details, 'tenant_id: must not be empty');
    assert.deepEqual(wire.metadata?.get(FIELD_TRAILER), ['tenant_id']);
    const [details] = wire.metadata?.get('grpc-status-details-bin') ?? [];
    assert.ok(Buffer.isBuffer(details));
    assert.deepEqual(decodeFieldViolations(details), [
      { field: 'tenant_id', description: 'tenant_id: must not be empty' },
    ]);
  });

  it('hides anything unexpected behind INTERNAL with a request id, never UNKNOWN', () => {
    for (const err of [
      new TypeError('x is undefined'),
      replyError('ERR syntax error'),
      // Redis trouble reaches the transport as a domain error (redis-errors.ts), never raw.
      new Error('Connection is closed.'),
      'a string',
      undefined,
    ]) {
      const wire = toWireError(err, ctx);
      assert.equal(wire.code, status.INTERNAL);
      assert.match(wire.details, /^internal error \(request id [0-9a-f-]{36}\)$/);
      assert.doesNotMatch(wire.details, /undefined|syntax/);
    }
  });
});

describe('serializeError', () => {
  it('drops the command arguments ioredis attaches (they hold payloads)', () => {
    const err = Object.assign(replyError('ERR boom'), {
      command: { name: 'evalsha', args: ['secret payload'] },
    });
    const out = serializeError(new SchedulerError('unavailable', 'wrapped', { cause: err }));
    assert.equal(out?.cause?.command, 'evalsha');
    assert.doesNotMatch(JSON.stringify(out), /secret payload/);
  });
});
