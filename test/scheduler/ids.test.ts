import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatJobId, formatLeaseId, parseJobId, parseLeaseId } from '../../src/scheduler/ids';
import { clipError, checkName } from '../../src/scheduler/validation';
import { isSchedulerError } from '../../src/scheduler/errors';
import { pickInt, random } from './workload';

const ALPHABET = 'abcXYZ019._:-';

describe('ids', () => {
  it('round-trips job and lease ids over random queue names', () => {
    const rnd = random(5);
    for (let i = 0; i < 2000; i++) {
      const queue = Array.from(
        { length: pickInt(rnd, 1, 128) },
        () => ALPHABET[pickInt(rnd, 0, ALPHABET.length - 1)],
      ).join('');
      const seq = String(pickInt(rnd, 1, 2 ** 40));
      assert.deepEqual(parseJobId(formatJobId(queue, seq)), { queue, seq });
      assert.deepEqual(parseLeaseId(formatLeaseId(queue, seq, 'AbC-_12345')), {
        queue,
        seq,
        token: 'AbC-_12345',
      });
    }
  });

  it('rejects anything else as an invalid argument naming the field', () => {
    for (const bad of [
      '',
      '/',
      'q/',
      '/1',
      'q/01',
      'q/1/2',
      'q q/1',
      'q/-1',
      `${'x'.repeat(129)}/1`,
    ]) {
      assert.throws(
        () => parseJobId(bad),
        (e: unknown) => isSchedulerError(e) && e.field === 'job_id',
      );
    }
  });
});

describe('validation', () => {
  it('allows [A-Za-z0-9._:-]{1,128} names only', () => {
    assert.equal(checkName('queue', 'a.b:c-d_e'), 'a.b:c-d_e');
    for (const bad of ['', ' ', 'a/b', 'é', 'x'.repeat(129), 'a\nb']) {
      assert.throws(
        () => checkName('queue', bad),
        (e: unknown) => isSchedulerError(e) && e.code === 'invalid_argument',
      );
    }
  });

  it('clips long error texts on a character boundary', () => {
    const clipped = clipError('é'.repeat(5000));
    assert.ok(Buffer.byteLength(clipped) <= 4096);
    assert.ok(!clipped.includes('\uFFFD'));
    assert.equal(clipError('short'), 'short');
  });
});
