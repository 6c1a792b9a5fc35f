/**
 * The Dispatcher and its queue groups against a stand-in lease source (pure logic: no Redis).
 * Tests wait on signals (a lease call made, jobs delivered) and drive timers with mocked time;
 * absence is proved by the source's count of lease calls, never by sleeping.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it, type TestContext } from 'node:test';
import {
  Dispatcher,
  RIDE_MAX,
  type AckOutcomes,
  type DispatcherOptions,
  type LeaseSource,
} from '../../src/scheduler/dispatcher';
import { scriptError, ScriptCode } from '../../src/scheduler/errors';
import type { AckBatch, LeaseBatch, LeasedJob } from '../../src/scheduler/job';
import type { WakeSignal } from '../../src/scheduler/store';

function job(n: number, visibilityMs = 0): LeasedJob {
  return {
    leaseId: `q/${n}/token${n}xx`,
    leaseExpireTime: visibilityMs,
    job: {
      id: `q/${n}`,
      queue: 'q',
      tenantId: 't',
      tier: 'free',
      priority: 0,
      payload: Buffer.alloc(0),
      headers: {},
      attempt: 1,
      maxAttempts: 5,
      state: 'leased',
      enqueueTime: 0,
      lastError: '',
    },
  };
}

/** Resolves as soon as `done()` holds, looking again on each `event`. */
function once(events: EventEmitter, event: string, done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (!done()) return;
      events.off(event, check);
      resolve();
    };
    events.on(event, check);
    check();
  });
}

/** Acks lease seq "0" fails as stale; every other one is acked. */
function outcomes(acks: AckBatch): AckOutcomes {
  return acks.leases.map((l) =>
    l.seq === '0' ? scriptError(ScriptCode.LEASE_MISMATCH, 'ack', `q/${l.seq}`) : undefined,
  );
}

const ackOf = (...seqs: string[]): AckBatch => ({
  leases: seqs.map((seq) => ({ queue: 'q', seq, token: `token${seq}xx` })),
  results: [],
});

/** Lets every promise continuation that is ready run (the group deals in one). */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A store stand-in: a list of ready jobs, an optional gate holding calls, optional failures. A
 * leased job's leaseExpireTime is the visibility timeout it was leased with.
 */
class FakeSource implements LeaseSource {
  readonly calls: Array<{
    queue: string;
    count: number;
    visibilityMs: readonly number[];
    acks: number;
  }> = [];
  readonly released: string[] = [];
  /** Sizes of the ack calls made without a lease. */
  readonly ackedAlone: number[] = [];
  failures = 0;
  nextWakeInMs: number | undefined;
  private ready = 0;
  private seq = 0;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  private readonly events = new EventEmitter();

  add(n: number): void {
    this.ready += n;
  }

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  unhold(): void {
    this.gate = undefined;
    this.open?.();
  }

  /** Resolves once `n` lease calls were made in all. */
  called(n: number): Promise<void> {
    return once(this.events, 'call', () => this.calls.length >= n);
  }

  async lease(
    queue: string,
    count: number,
    visibilityMs: readonly number[],
    acks?: AckBatch,
  ): Promise<LeaseBatch> {
    this.calls.push({ queue, count, visibilityMs, acks: acks?.leases.length ?? 0 });
    this.events.emit('call');
    const failing = this.failures > 0;
    // Like the script, a call sees the jobs ready when it starts, whenever its reply comes.
    const n = failing ? 0 : Math.min(count, this.ready);
    this.ready -= n;
    const jobs = Array.from({ length: n }, (_, i) => job(++this.seq, visibilityMs[i]));
    if (this.gate) await this.gate;
    if (failing) {
      this.failures -= 1;
      throw new Error('Connection is closed.');
    }
    return { jobs, nextWakeInMs: this.nextWakeInMs, ackErrors: acks && outcomes(acks) };
  }

  ackLeases(_queue: string, acks: AckBatch): Promise<AckOutcomes> {
    this.ackedAlone.push(acks.leases.length);
    return Promise.resolve(outcomes(acks));
  }

  release(leaseId: string): Promise<void> {
    this.released.push(leaseId);
    return Promise.resolve();
  }
}

/** A consumer's receiving end: records jobs, and says when `n` arrived. */
class Sink {
  readonly jobs: LeasedJob[] = [];
  private readonly events = new EventEmitter();
  readonly deliver = (jobs: LeasedJob[]): void => {
    this.jobs.push(...jobs);
    this.events.emit('jobs');
  };

  got(n: number): Promise<void> {
    return once(this.events, 'jobs', () => this.jobs.length >= n);
  }
}

class ManualWake implements WakeSignal {
  private listener: ((queue: string) => void) | undefined;
  subscribe(listener: (queue: string) => void): () => void {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  fire(queue: string): void {
    this.listener?.(queue);
  }
}

const warnings: object[] = [];
const log = { warn: (fields: object) => void warnings.push(fields) };

function setup(options: Partial<DispatcherOptions> = {}) {
  const source = new FakeSource();
  const wake = new ManualWake();
  const dispatcher = new Dispatcher(source, [wake], log, {
    retryBaseMs: 20,
    retryCapMs: 40,
    ...options,
  });
  dispatcher.start();
  return { source, wake, dispatcher };
}

function mockTimers(t: TestContext): void {
  t.mock.timers.enable({ apis: ['setTimeout'] });
}

describe('Dispatcher', () => {
  it('serves many waiting consumers with one lease call', async () => {
    const { source, dispatcher } = setup();
    source.add(20);
    source.hold();
    const sinks = Array.from({ length: 10 }, () => new Sink());
    sinks.forEach((sink) => dispatcher.register('q', 30_000, sink.deliver).grant(2));
    source.unhold();
    await Promise.all(sinks.map((s) => s.got(2)));
    assert.deepEqual(
      source.calls.map((c) => c.count),
      [2, 18],
    );
    await dispatcher.stop();
  });

  it('deals a short batch round-robin among consumers', async () => {
    const { source, dispatcher } = setup();
    source.add(1);
    source.hold();
    const sinks = [new Sink(), new Sink(), new Sink()];
    sinks.forEach((sink) => dispatcher.register('q', 30_000, sink.deliver).grant(5));
    source.unhold(); // the first call, for 5, got 1; the second, for 14, got none
    await source.called(2);
    await turn();
    source.add(6);
    dispatcher.notify('q');
    await source.called(3);
    await turn();
    assert.deepEqual(sinks.map((s) => s.jobs.length).sort(), [2, 2, 3]);
    await dispatcher.stop();
  });

  it('never hands a consumer more than it granted', async () => {
    const { source, dispatcher } = setup();
    source.add(10);
    const sink = new Sink();
    const consumer = dispatcher.register('q', 30_000, sink.deliver);
    consumer.grant(3);
    await sink.got(3);
    await turn();
    assert.equal(sink.jobs.length, 3);
    assert.equal(consumer.wanted, 0);
    assert.equal(source.calls.length, 1);
    consumer.grant(2);
    await sink.got(5);
    await turn();
    assert.equal(sink.jobs.length, 5);
    await dispatcher.stop();
  });

  it('applies the acks a worker sends with its credits in the same lease call', async () => {
    const { source, dispatcher } = setup();
    source.add(3);
    const sink = new Sink();
    const consumer = dispatcher.register('q', 30_000, sink.deliver);
    consumer.grant(1);
    await sink.got(1);
    // One message: acks of two leases (one stale), then a credit.
    const outcome = consumer.ack(ackOf('1', '0'));
    consumer.grant(1);
    const [acked, stale] = await outcome;
    assert.equal(acked, undefined);
    assert.equal(stale?.code, 'failed_precondition');
    await sink.got(2);
    assert.deepEqual(
      source.calls.map((c) => [c.count, c.acks]),
      [
        [1, 0],
        [1, 2],
      ],
    );
    assert.deepEqual(source.ackedAlone, []);
    await dispatcher.stop();
  });

  it('sends more acks than ride on a lease call alone, after that call', async () => {
    const { source, dispatcher } = setup();
    source.add(1);
    const sink = new Sink();
    const consumer = dispatcher.register('q', 30_000, sink.deliver);
    const many = Array.from({ length: RIDE_MAX + 1 }, (_, i) => String(i + 1));
    const outcome = consumer.ack(ackOf(...many));
    consumer.grant(1);
    assert.equal((await outcome).length, RIDE_MAX + 1);
    await sink.got(1);
    assert.deepEqual(
      source.calls.map((c) => c.acks),
      [0],
    );
    assert.deepEqual(source.ackedAlone, [RIDE_MAX + 1]);
    await dispatcher.stop();
  });

  it('sends acks alone when no consumer wants jobs, and keeps their order', async () => {
    const { source, dispatcher } = setup();
    const consumer = dispatcher.register('q', 30_000, new Sink().deliver);
    const first = consumer.ack(ackOf('1', '2'));
    const second = consumer.ack(ackOf('0'));
    assert.deepEqual(await first, [undefined, undefined]);
    assert.equal((await second)[0]?.code, 'failed_precondition');
    assert.deepEqual(source.ackedAlone, [3]);
    assert.equal(source.calls.length, 0);
    await dispatcher.stop();
  });

  it('carries acks that arrive during a lease call on the next one', async () => {
    const { source, dispatcher } = setup({ maxIdleMs: 60_000 });
    source.add(5);
    source.hold();
    const sink = new Sink();
    const consumer = dispatcher.register('q', 30_000, sink.deliver);
    consumer.grant(1);
    await source.called(1);
    const outcome = consumer.ack(ackOf('7'));
    consumer.grant(1);
    source.unhold();
    assert.deepEqual(await outcome, [undefined]);
    await sink.got(2);
    assert.deepEqual(
      source.calls.map((c) => c.acks),
      [0, 1],
    );
    await dispatcher.stop();
  });

  it('fails the acks riding on a lease call that fails, and sends later ones alone meanwhile', async () => {
    const { source, dispatcher } = setup({ retryBaseMs: 60_000, retryCapMs: 60_000 });
    source.failures = 1;
    const consumer = dispatcher.register('q', 30_000, new Sink().deliver);
    const riding = consumer.ack(ackOf('1'));
    consumer.grant(1);
    await assert.rejects(riding, /Connection is closed/);
    // Backing off now: an ack does not wait out the backoff.
    assert.deepEqual(await consumer.ack(ackOf('2')), [undefined]);
    assert.deepEqual(source.ackedAlone, [1]);
    await dispatcher.stop();
  });

  it('applies acks still pending when it stops', async () => {
    const { source, dispatcher } = setup();
    const consumer = dispatcher.register('q', 30_000, new Sink().deliver);
    const outcome = consumer.ack(ackOf('3'));
    await dispatcher.stop();
    assert.deepEqual(await outcome, [undefined]);
    assert.deepEqual(source.ackedAlone, [1]);
  });

  it('looks again when a wake arrives during a lease call', async () => {
    const { source, wake, dispatcher } = setup({ maxIdleMs: 60_000 });
    const sink = new Sink();
    source.hold();
    dispatcher.register('q', 30_000, sink.deliver).grant(1);
    source.add(1); // enqueued while the (empty-handed) call is in flight
    wake.fire('q');
    source.unhold();
    await sink.got(1);
    assert.equal(source.calls.length, 2);
    await dispatcher.stop();
  });

  it('sleeps while idle instead of polling, and wakes on a signal', async (t) => {
    mockTimers(t);
    const { source, wake, dispatcher } = setup({ maxIdleMs: 60_000 });
    const sink = new Sink();
    dispatcher.register('q', 30_000, sink.deliver).grant(1);
    await source.called(1);
    await turn();
    t.mock.timers.tick(59_999);
    source.add(1);
    wake.fire('other-queue');
    await turn();
    assert.equal(source.calls.length, 1, 'no lease call while idle, nor for another queue');
    wake.fire('q');
    await sink.got(1);
    assert.equal(source.calls.length, 2);
    await dispatcher.stop();
  });

  it('looks again at the next due time the store reports', async (t) => {
    mockTimers(t);
    const { source, dispatcher } = setup({ maxIdleMs: 60_000 });
    source.nextWakeInMs = 50;
    const sink = new Sink();
    dispatcher.register('q', 30_000, sink.deliver).grant(1);
    await source.called(1);
    await turn();
    source.add(1); // no wake: only the timer can find it
    t.mock.timers.tick(49);
    await turn();
    assert.equal(source.calls.length, 1);
    t.mock.timers.tick(1);
    await sink.got(1);
    assert.equal(source.calls.length, 2);
    await dispatcher.stop();
  });

  it('backs off after a failed lease call and recovers', async (t) => {
    mockTimers(t);
    const { source, dispatcher } = setup();
    source.failures = 2;
    source.add(1);
    const sink = new Sink();
    warnings.length = 0;
    dispatcher.register('q', 30_000, sink.deliver).grant(1);
    await source.called(1);
    await turn();
    t.mock.timers.tick(9); // the first retry waits 10-20 ms (base 20, half of it random)
    await turn();
    assert.equal(source.calls.length, 1);
    t.mock.timers.tick(11);
    await source.called(2);
    await turn();
    t.mock.timers.tick(40);
    await sink.got(1);
    assert.equal(source.calls.length, 3);
    assert.equal(warnings.length, 1, 'one warning per failure streak');
    await dispatcher.stop();
  });

  it('gives back jobs leased for a consumer that left during the call', async () => {
    const { source, dispatcher } = setup();
    source.add(2);
    source.hold();
    const consumer = dispatcher.register('q', 30_000, new Sink().deliver);
    consumer.grant(2);
    consumer.close();
    source.unhold();
    await dispatcher.stop();
    assert.deepEqual(source.released, ['q/1/token1xx', 'q/2/token2xx']);
  });

  it('hands a departed consumer’s share to the others first', async () => {
    const { source, dispatcher } = setup();
    source.add(4);
    source.hold();
    const leaving = dispatcher.register('q', 30_000, new Sink().deliver);
    const staying = new Sink();
    leaving.grant(2);
    dispatcher.register('q', 30_000, staying.deliver).grant(2);
    leaving.close();
    source.unhold();
    await staying.got(2);
    await turn();
    assert.equal(source.released.length, 0);
    await dispatcher.stop();
  });

  it('asks nothing for a paused consumer until it resumes', async () => {
    const { source, dispatcher } = setup();
    source.add(10);
    const sink = new Sink();
    const consumer = dispatcher.register('q', 30_000, sink.deliver);
    consumer.pause();
    consumer.grant(5);
    await turn();
    assert.equal(source.calls.length, 0);
    consumer.resume();
    await sink.got(5);
    await dispatcher.stop();
  });

  it('never deals jobs to a paused consumer: they go to the consumer that asked', async () => {
    const { source, dispatcher } = setup();
    source.add(10);
    const paused = new Sink();
    const pausedConsumer = dispatcher.register('q', 30_000, paused.deliver);
    pausedConsumer.pause();
    pausedConsumer.grant(5);
    const asking = new Sink();
    dispatcher.register('q', 30_000, asking.deliver).grant(4);
    await asking.got(4);
    await turn();
    assert.deepEqual(
      source.calls.map((c) => c.count),
      [4],
    );
    assert.equal(paused.jobs.length, 0);
    assert.equal(pausedConsumer.wanted, 5);
    await dispatcher.stop();
  });

  it('redirects a job planned for a consumer that paused during the call to one with its timeout', async () => {
    const { source, dispatcher } = setup();
    source.add(3);
    source.hold();
    const a = new Sink();
    const b = new Sink();
    const c = new Sink();
    const pausing = dispatcher.register('q', 1000, a.deliver);
    pausing.grant(1);
    dispatcher.register('q', 1000, b.deliver).grant(2);
    dispatcher.register('q', 2000, c.deliver).grant(1);
    await source.called(1); // planned for the pausing consumer alone
    pausing.pause();
    source.unhold();
    source.hold(); // the next call waits, so only the first one is dealt
    await source.called(2);
    assert.equal(a.jobs.length, 0);
    assert.equal(c.jobs.length, 0, 'not to a consumer with another timeout');
    assert.deepEqual(
      b.jobs.map((j) => j.leaseExpireTime),
      [1000],
      'the paused consumer’s job went to the other consumer with its timeout',
    );
    assert.equal(source.released.length, 0);
    source.unhold();
    await dispatcher.stop();
  });

  it('serves consumers with different visibility timeouts with one lease call per wake', async () => {
    const { source, wake, dispatcher } = setup({ maxIdleMs: 60_000 });
    const sinks = Array.from({ length: 200 }, () => new Sink());
    source.hold();
    sinks.forEach((sink, i) => dispatcher.register('q', 1000 + i, sink.deliver).grant(1));
    source.unhold();
    await source.called(2); // the first call (for one) and the look again (for 100, the batch cap)
    await turn();
    const before = source.calls.length;
    source.add(300);
    wake.fire('q');
    await Promise.all(sinks.map((s) => s.got(1)));
    await turn();
    // 199 consumers still wanting one job each: two calls of at most 100, then one finding none.
    assert.ok(source.calls.length - before <= 3, `${source.calls.length - before} lease calls`);
    sinks.forEach((sink, i) => assert.equal(sink.jobs[0]!.leaseExpireTime, 1000 + i));
    await dispatcher.stop();
  });

  it('caps one call at maxBatch', async () => {
    const { source, dispatcher } = setup({ maxBatch: 4 });
    source.add(10);
    const sink = new Sink();
    dispatcher.register('q', 30_000, sink.deliver).grant(10);
    await sink.got(10);
    assert.deepEqual(
      source.calls.map((c) => c.count),
      [4, 4, 2],
    );
    await dispatcher.stop();
  });

  it('stops: waits for the call in flight, delivers it, then leases no more', async () => {
    const { source, dispatcher } = setup();
    source.add(3);
    source.hold();
    const sink = new Sink();
    const consumer = dispatcher.register('q', 30_000, sink.deliver);
    consumer.grant(1);
    const stopped = dispatcher.stop();
    source.unhold();
    await stopped;
    assert.equal(sink.jobs.length, 1);
    consumer.grant(1);
    dispatcher.notify('q');
    await turn();
    assert.equal(source.calls.length, 1);
  });
});
