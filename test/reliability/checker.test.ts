/**
 * The checker on hand-made histories: it must pass a clean run and catch each kind of violation,
 * or the fault tests that rely on it prove nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, type ViolationKind } from './checker';
import type { DeliverEvent, HistoryEvent, SettleEvent } from './history';

const Q = 'q';
const T0 = 1_700_000_000_000;
const VT = 1000;

function enqueue(n: number, at = T0): HistoryEvent {
  return { kind: 'enqueue', jobId: `${Q}/${n}`, at };
}

function deliver(n: number, attempt: number, at: number, worker = 'w1'): DeliverEvent {
  const leaseId = `${Q}/${n}/lease${attempt}xyz`;
  return { kind: 'deliver', jobId: `${Q}/${n}`, leaseId, worker, at, deadline: at + VT, attempt };
}

function ack(d: DeliverEvent, at: number, outcome = 'OK'): SettleEvent {
  return { kind: 'ack', jobId: d.jobId, leaseId: d.leaseId, worker: d.worker, at, outcome };
}

function nack(d: DeliverEvent, at: number, outcome = 'OK'): SettleEvent {
  return { kind: 'nack', jobId: d.jobId, leaseId: d.leaseId, worker: d.worker, at, outcome };
}

function final(n: number, state: string, lastError = ''): HistoryEvent {
  return { kind: 'final', jobId: `${Q}/${n}`, state, lastError };
}

function kinds(events: HistoryEvent[]): ViolationKind[] {
  return check(events).violations.map((v) => v.kind);
}

describe('history checker', () => {
  it('passes a clean run: acked, expired and redelivered, nacked and retried, dead, cancelled', () => {
    const d1 = deliver(1, 1, T0 + 10);
    const d2a = deliver(2, 1, T0 + 10);
    const d2b = deliver(2, 2, d2a.deadline + 5, 'w2'); // after the first lease expired
    const d3a = deliver(3, 1, T0 + 20);
    const d3b = deliver(3, 2, T0 + 40); // early, but the first lease was nacked
    const d4 = deliver(4, 1, T0 + 30);
    const events: HistoryEvent[] = [
      ...[1, 2, 3, 4, 5].map((n) => enqueue(n)),
      d1,
      ack(d1, T0 + 50),
      d2a,
      d2b,
      ack(d2a, d2a.deadline + 10, 'FAILED_PRECONDITION'), // the old worker's late ack, rejected
      ack(d2b, d2b.at + 10),
      d3a,
      nack(d3a, T0 + 30),
      d3b,
      ack(d3b, T0 + 60),
      d4,
      { ...nack(d4, T0 + 35), noRetry: true },
      { kind: 'cancel', jobId: `${Q}/5`, at: T0 + 5, outcome: 'OK' },
      final(1, 'SUCCEEDED'),
      final(2, 'SUCCEEDED'),
      final(3, 'SUCCEEDED'),
      final(4, 'DEAD', 'bad input'),
      final(5, 'CANCELLED'),
    ];
    const verdict = check(events);
    assert.deepEqual(verdict.violations, []);
    assert.deepEqual(verdict.figures.settled, { acked: 3, dead: 1, cancelled: 1 });
    assert.deepEqual(verdict.figures.duplicates, { total: 2, expired: 1, nacked: 1, killed: 0 });
    assert.deepEqual(verdict.figures.acks, { accepted: 3, rejected: 1, indeterminate: 0 });
  });

  it('catches a lost job: enqueued, never acked, unknown to the server', () => {
    assert.deepEqual(kinds([enqueue(1), final(1, 'NOT_FOUND')]), ['lost']);
    assert.deepEqual(kinds([enqueue(1)]), ['lost'], 'no final state read back');
    const d = deliver(1, 1, T0);
    assert.deepEqual(kinds([enqueue(1), d, ack(d, T0 + 5, 'UNAVAILABLE'), final(1, 'NOT_FOUND')]), [
      'lost',
    ]);
  });

  it('reports a job still queued at the end as unfinished', () => {
    assert.deepEqual(kinds([enqueue(1), final(1, 'PENDING')]), ['unfinished']);
  });

  it('catches a double ack: two acks of one job accepted', () => {
    const a = deliver(1, 1, T0);
    const b = deliver(1, 2, a.deadline + 1, 'w2');
    const events = [enqueue(1), a, b, ack(b, b.at + 5), ack(b, b.at + 6), final(1, 'SUCCEEDED')];
    assert.deepEqual(kinds(events), ['double-ack']);
  });

  it('catches an accepted ack on a stale lease (not the last one delivered)', () => {
    const a = deliver(1, 1, T0);
    const b = deliver(1, 2, a.deadline + 1, 'w2');
    // The first worker's late ack, sent after the job went to w2, is accepted: the fence failed.
    const events = [enqueue(1), a, b, ack(a, b.at + 100), final(1, 'SUCCEEDED')];
    assert.deepEqual(kinds(events), ['stale-ack']);
  });

  it('catches an unexplained duplicate: redelivered before the lease expired, no nack, no kill', () => {
    const a = deliver(1, 1, T0);
    const b = deliver(1, 2, T0 + VT / 2, 'w2');
    const events = [enqueue(1), a, b, ack(b, b.at + 5), final(1, 'SUCCEEDED')];
    assert.deepEqual(kinds(events), ['unexplained-duplicate']);
  });

  it('explains an early redelivery by the death of the worker that held the lease', () => {
    const a = deliver(1, 1, T0);
    const b = deliver(1, 2, T0 + VT / 2, 'w2');
    const events: HistoryEvent[] = [
      enqueue(1),
      a,
      { kind: 'fault', fault: 'worker-killed', worker: 'w1', at: T0 + 100 },
      b,
      ack(b, b.at + 5),
      final(1, 'SUCCEEDED'),
    ];
    const verdict = check(events);
    assert.deepEqual(verdict.violations, []);
    assert.equal(verdict.figures.duplicates.killed, 1);
  });

  it('catches a delivery after an accepted ack (the ack was lost)', () => {
    const a = deliver(1, 1, T0);
    const b = deliver(1, 2, a.deadline + 1, 'w2');
    const events = [enqueue(1), a, ack(a, T0 + 5), b, ack(b, b.at + 5), final(1, 'SUCCEEDED')];
    assert.deepEqual(kinds(events).sort(), ['delivered-after-ack', 'double-ack']);
  });

  it('lets the final state settle an ack whose outcome is unknown', () => {
    const a = deliver(1, 1, T0);
    const unknown = [enqueue(1), a, ack(a, T0 + 5, 'UNAVAILABLE')];
    assert.deepEqual(kinds([...unknown, final(1, 'SUCCEEDED')]), []);
    assert.deepEqual(kinds([enqueue(1), a, final(1, 'SUCCEEDED')]), ['succeeded-without-ack']);
    assert.deepEqual(kinds([...unknown, final(1, 'LEASED')]), ['unfinished']);
  });

  it('catches an acked job whose final state is not SUCCEEDED', () => {
    const a = deliver(1, 1, T0);
    assert.deepEqual(kinds([enqueue(1), a, ack(a, T0 + 5), final(1, 'PENDING')]), [
      'acked-but-not-succeeded',
    ]);
  });

  it('wants a reason for a dead job and a request for a cancelled one', () => {
    assert.deepEqual(kinds([enqueue(1), final(1, 'DEAD')]), ['dead-without-reason']);
    assert.deepEqual(kinds([enqueue(1), final(1, 'CANCELLED')]), ['cancelled-without-request']);
  });

  it('orders deliveries by attempt even when they were recorded out of order', () => {
    const a = deliver(1, 1, T0);
    const b = deliver(1, 2, a.deadline + 1, 'w2');
    assert.deepEqual(kinds([enqueue(1), b, a, ack(b, b.at + 5), final(1, 'SUCCEEDED')]), []);
  });
});
