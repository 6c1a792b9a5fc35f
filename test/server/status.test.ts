import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import pino from 'pino';
import { SchedulerError, invalidArgument, type ErrorCode } from '../../src/scheduler/errors';
import { decodeFieldViolations } from '../../src/server/error-details';
import { serializeError } from '../../src/server/logger';
import { FIELD_TRAILER, STATUS_OF, isRedisUnavailable, toWireError } from '../../src/server/status';

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

  it('turns Redis connection failures into UNAVAILABLE', () => {
    const failures: Error[] = [
      new Error('Connection is closed.'),
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
      new Error('Command timed out'),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('Reached the max retries per request limit (which is 1).'), {
        name: 'MaxRetriesPerRequestError',
      }),
      replyError('LOADING Redis is loading the dataset in memory'),
      replyError('BUSY Redis is busy running a script'),
      replyError('READONLY You cannot write against a read only replica.'),
    ];
    for (const err of failures) {
      assert.ok(isRedisUnavailable(err), err.message);
      assert.equal(toWireError(err, ctx).code, status.UNAVAILABLE, err.message);
    }
  });

  it('turns a Redis out-of-memory reply into RESOURCE_EXHAUSTED', () => {
    const err = replyError("OOM command not allowed when used memory > 'maxmemory'.");
    assert.equal(toWireError(err, ctx).code, status.RESOURCE_EXHAUSTED);
  });

  it('hides anything unexpected behind INTERNAL with a request id, never UNKNOWN', () => {
    for (const err of [
      new TypeError('x is undefined'),
      replyError('ERR syntax error'),
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
