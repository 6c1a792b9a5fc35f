/**
 * The job record's codec without Redis: the tail the server encodes and the head lua/includes/record.lua
 * documents (and enqueue.lua and lease.lua write) decode back to the same job.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeTail, jobFromRecord, leaseToken, recordHead } from '../../src/scheduler/redis/codec';
import type { NewJob } from '../../src/scheduler/store';
import { pickInt, random } from './workload';

const TEXT = ['a', ':', '0:', '12:', 'ü', '€', '\n', '😀', ' ', '"', '\\'];

function text(rnd: () => number, max: number): string {
  return Array.from(
    { length: pickInt(rnd, 0, max) },
    () => TEXT[pickInt(rnd, 0, TEXT.length - 1)],
  ).join('');
}

/** A time as lua/includes/record.lua writes it: milliseconds in base 36, 9 digits. */
function timeText(ms: number): string {
  return ms.toString(36).padStart(9, '0');
}

/** A leased job's head as lease.lua writes it: state, attempt, deadline, token, enqueue time. */
function leasedHead(attempt: number, deadline: number, token: string, enqueued: number): string {
  return `L${attempt.toString(36).padStart(2, '0')}${timeText(deadline)}${token}${timeText(enqueued)}`;
}

describe('job record', () => {
  it('decodes what the server encodes and the scripts write, over random fields', () => {
    const rnd = random(11);
    for (let i = 0; i < 500; i++) {
      const job: NewJob = {
        queue: 'q',
        tenantId: text(rnd, 40) || 't',
        tier: text(rnd, 10) || 'free',
        priority: pickInt(rnd, 0, 9),
        maxAttempts: pickInt(rnd, 0, 1000),
        payload: Buffer.from(
          Array.from({ length: pickInt(rnd, 0, 300) }, () => pickInt(rnd, 0, 255)),
        ),
        ...(rnd() < 0.5 ? { idempotencyKey: text(rnd, 30) || 'k' } : {}),
        ...(rnd() < 0.5 ? { headers: { [text(rnd, 5)]: text(rnd, 20) } } : {}),
      };
      const attempt = pickInt(rnd, 1, 1000);
      const deadline = 1_800_000_000_000 + pickInt(rnd, 0, 1e9);
      const record = Buffer.concat([
        Buffer.from(leasedHead(attempt, deadline, 'AbC-_9xy0z12', 1_790_000_000_123)),
        encodeTail(job),
      ]);
      const decoded = jobFromRecord('q', '42', record);
      assert.equal(decoded.id, 'q/42');
      assert.equal(decoded.state, 'leased');
      assert.equal(decoded.attempt, attempt);
      assert.equal(decoded.leaseExpireTime, deadline);
      assert.equal(decoded.enqueueTime, 1_790_000_000_123);
      assert.equal(decoded.tenantId, job.tenantId);
      assert.equal(decoded.tier, job.tier);
      assert.equal(decoded.priority, job.priority);
      assert.equal(decoded.maxAttempts, job.maxAttempts);
      assert.deepEqual(decoded.payload, job.payload);
      assert.equal(decoded.idempotencyKey, job.idempotencyKey);
      assert.deepEqual(decoded.headers, job.headers ?? {});
      assert.equal(decoded.lastError, '');
      assert.equal(leaseToken(record), 'AbC-_9xy0z12');
      assert.deepEqual(recordHead(record), { state: 'L', time: timeText(deadline) });
    }
  });

  it('refuses what the fixed widths cannot hold', () => {
    const job: NewJob = {
      queue: 'q',
      tenantId: 't',
      tier: 'free',
      priority: 0,
      maxAttempts: 5,
      payload: Buffer.alloc(0),
    };
    assert.throws(() => encodeTail({ ...job, priority: 10 }), RangeError);
    assert.throws(() => encodeTail({ ...job, maxAttempts: 36 * 36 }), RangeError);
    assert.doesNotThrow(() => encodeTail({ ...job, maxAttempts: 36 * 36 - 1 }));
  });
});
