/** Pure pieces of job notices: the event messages the scripts publish, and a stream's held leases. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEvent } from '../../src/scheduler/redis/job-events';
import { eventsChannel, queueOfEventsChannel } from '../../src/scheduler/redis/keys';
import { HeldLeases } from '../../src/server/held-leases';

describe('job event messages', () => {
  it('reads changed seqs and cancelled leases, and ignores anything else', () => {
    assert.deepEqual(parseEvent('q', 'j 1,22,333'), { kind: 'changed', seqs: ['1', '22', '333'] });
    assert.deepEqual(parseEvent('q', 'c 7/AbCdEfGh01'), {
      kind: 'cancelled',
      leaseId: 'q/7/AbCdEfGh01',
    });
    assert.equal(parseEvent('q', 'x 1'), undefined);
    assert.equal(parseEvent('q', ''), undefined);
  });

  it('maps a queue to its hash-tagged channel and back', () => {
    assert.equal(eventsChannel('emails:eu'), 'sched:{emails:eu}:events');
    assert.equal(queueOfEventsChannel(eventsChannel('emails:eu')), 'emails:eu');
    assert.equal(queueOfEventsChannel('sched:wake'), undefined);
  });
});

describe('HeldLeases', () => {
  it('forgets a lease once released, and says whether it held it', () => {
    const held = new HeldLeases();
    held.add('q/1/t');
    assert.equal(held.release('q/1/t'), true);
    assert.equal(held.release('q/1/t'), false);
    assert.equal(held.release('q/2/t'), false);
  });

  it('keeps at most its cap, dropping the oldest first', () => {
    const held = new HeldLeases(3);
    for (let i = 1; i <= 5; i++) held.add(`q/${i}/t`);
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((i) => held.release(`q/${i}/t`)),
      [false, false, true, true, true],
    );
  });
});
