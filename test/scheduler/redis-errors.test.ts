/** How a failed Redis call becomes a domain error (src/scheduler/redis/redis-errors.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SchedulerError, isSchedulerError } from '../../src/scheduler/errors';
import { fromRedisError, guardRedis } from '../../src/scheduler/redis/redis-errors';

function replyError(message: string): Error {
  const err = new Error(message);
  err.name = 'ReplyError';
  return err;
}

function codeOf(err: unknown): string | undefined {
  return isSchedulerError(err) ? err.code : undefined;
}

describe('Redis errors', () => {
  it('turns connection failures and "not now" replies into unavailable, with the cause', () => {
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
      replyError('MOVED 3999 127.0.0.1:6381'),
      replyError('CLUSTERDOWN The cluster is down'),
    ];
    for (const err of failures) {
      const out = fromRedisError(err, 'lease');
      assert.equal(codeOf(out), 'unavailable', err.message);
      assert.equal((out as SchedulerError).op, 'lease');
      assert.equal((out as SchedulerError).cause, err);
    }
  });

  it('turns an out-of-memory reply into resource_exhausted', () => {
    const err = replyError("OOM command not allowed when used memory > 'maxmemory'.");
    assert.equal(codeOf(fromRedisError(err, 'enqueue')), 'resource_exhausted');
  });

  it('leaves other replies (a bug) and domain errors as they are', () => {
    for (const err of [
      replyError('ERR user_script:1: Script attempted to access nonexistent global variable'),
      replyError('WRONGTYPE Operation against a key holding the wrong kind of value'),
      new SchedulerError('not_found', 'job q/1 not found'),
    ]) {
      assert.equal(fromRedisError(err, 'ack'), err);
    }
  });

  it('passes results through and converts what a call throws', async () => {
    assert.equal(await guardRedis('get', Promise.resolve(7)), 7);
    await assert.rejects(
      guardRedis('get', Promise.reject(new Error('Connection is closed.'))),
      (err: unknown) => codeOf(err) === 'unavailable',
    );
  });
});
