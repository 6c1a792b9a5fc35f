import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Dispatcher, type Consumer, type LeaseSource } from '../../src/scheduler/dispatcher';
import type { LeaseBatch, LeasedJob } from '../../src/scheduler/job';
import type { WakeSignal } from '../../src/scheduler/store';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function job(n: number): LeasedJob {
  return {
    leaseId: `q/${n}/token${n}xx`,
    leaseExpireTime: 0,
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

/** A store stand-in: a list of ready jobs, optional gate to hold calls, optional failures. */
class FakeSource implements LeaseSource {
  ready: LeasedJob[] = [];
  calls: Array<{ queue: string; count: number; visibilityMs: number }> = [];
  released: string[] = [];
  failures = 0;
  nextWakeInMs: number | undefined;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  private seq = 0;

  add(n: number): void {
    for (let i = 0; i < n; i++) this.ready.push(job(++this.seq));
  }

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  unhold(): void {
    this.gate = undefined;
    this.open?.();
  }

  async lease(queue: string, count: number, visibilityMs: number): Promise<LeaseBatch> {
    this.calls.push({ queue, count, visibilityMs });
    const failing = this.failures > 0;
    // Like the script, a call sees the jobs ready when it starts, whenever its reply comes.
    const jobs = failing ? [] : this.ready.splice(0, count);
    if (this.gate) await this.gate;
    if (failing) {
      this.failures -= 1;
      throw new Error('Connection is closed.');
    }
    return { jobs, nextWakeInMs: this.nextWakeInMs };
  }

  release(leaseId: string): Promise<void> {
    this.released.push(leaseId);
    return Promise.resolve();
  }
}

class Sink implements Consumer {
  jobs: LeasedJob[] = [];
  deliver(jobs: LeasedJob[]): void {
    this.jobs.push(...jobs);
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

function setup(options: ConstructorParameters<typeof Dispatcher>[3] = {}) {
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

describe('Dispatcher', () => {
  it('serves many waiting consumers with one lease call', async () => {
    const { source, dispatcher } = setup();
    source.add(20);
    source.hold();
    const sinks = Array.from({ length: 10 }, () => new Sink());
    sinks.forEach((sink) => dispatcher.register('q', 30_000, sink).grant(2));
    source.unhold();
    await sleep(20);
    assert.deepEqual(
      source.calls.map((c) => c.count),
      [2, 18],
    );
    assert.ok(sinks.every((s) => s.jobs.length === 2));
    await dispatcher.stop();
  });

  it('deals a short batch round-robin among consumers', async () => {
    const { source, dispatcher } = setup();
    source.add(1);
    source.hold();
    const sinks = [new Sink(), new Sink(), new Sink()];
    sinks.forEach((sink) => dispatcher.register('q', 30_000, sink).grant(5));
    source.unhold(); // the first call, for 5, got 1
    await sleep(10);
    source.add(6);
    dispatcher.notify('q');
    await sleep(10);
    assert.deepEqual(sinks.map((s) => s.jobs.length).sort(), [2, 2, 3]);
    await dispatcher.stop();
  });

  it('never hands a consumer more than it granted', async () => {
    const { source, dispatcher } = setup();
    source.add(10);
    const sink = new Sink();
    const sub = dispatcher.register('q', 30_000, sink);
    sub.grant(3);
    await sleep(20);
    assert.equal(sink.jobs.length, 3);
    assert.equal(sub.wanted, 0);
    sub.grant(2);
    await sleep(20);
    assert.equal(sink.jobs.length, 5);
    await dispatcher.stop();
  });

  it('looks again when a wake arrives during a lease call', async () => {
    const { source, wake, dispatcher } = setup({ maxIdleMs: 60_000 });
    const sink = new Sink();
    source.hold();
    dispatcher.register('q', 30_000, sink).grant(1);
    source.add(1); // enqueued while the (empty-handed) call is in flight
    wake.fire('q');
    source.unhold();
    await sleep(20);
    assert.equal(sink.jobs.length, 1);
    assert.equal(source.calls.length, 2);
    await dispatcher.stop();
  });

  it('sleeps while idle instead of polling, and wakes on a signal', async () => {
    const { source, wake, dispatcher } = setup({ maxIdleMs: 60_000 });
    const sink = new Sink();
    dispatcher.register('q', 30_000, sink).grant(1);
    await sleep(200);
    assert.equal(source.calls.length, 1);
    source.add(1);
    wake.fire('other-queue');
    await sleep(20);
    assert.equal(source.calls.length, 1);
    wake.fire('q');
    await sleep(20);
    assert.equal(sink.jobs.length, 1);
    await dispatcher.stop();
  });

  it('looks again at the next due time the store reports', async () => {
    const { source, dispatcher } = setup({ maxIdleMs: 60_000 });
    source.nextWakeInMs = 50;
    const sink = new Sink();
    dispatcher.register('q', 30_000, sink).grant(1);
    await sleep(10);
    source.add(1); // no wake: only the timer can find it
    await sleep(100);
    assert.equal(sink.jobs.length, 1);
    assert.equal(source.calls.length, 2);
    await dispatcher.stop();
  });

  it('backs off after a failed lease call and recovers', async () => {
    const { source, dispatcher } = setup();
    source.failures = 2;
    source.add(1);
    const sink = new Sink();
    warnings.length = 0;
    dispatcher.register('q', 30_000, sink).grant(1);
    await sleep(5);
    assert.equal(source.calls.length, 1);
    await sleep(150);
    assert.equal(sink.jobs.length, 1);
    assert.equal(source.calls.length, 3);
    assert.equal(warnings.length, 1, 'one warning per failure streak');
    await dispatcher.stop();
  });

  it('gives back jobs leased for a consumer that left during the call', async () => {
    const { source, dispatcher } = setup();
    source.add(2);
    source.hold();
    const sub = dispatcher.register('q', 30_000, new Sink());
    sub.grant(2);
    sub.close();
    source.unhold();
    await sleep(10);
    assert.deepEqual(source.released, ['q/1/token1xx', 'q/2/token2xx']);
    await dispatcher.stop();
  });

  it('hands a departed consumer’s share to the others first', async () => {
    const { source, dispatcher } = setup();
    source.add(4);
    source.hold();
    const leaving = dispatcher.register('q', 30_000, new Sink());
    const staying = new Sink();
    leaving.grant(2);
    const sub = dispatcher.register('q', 30_000, staying);
    sub.grant(2);
    leaving.close();
    source.unhold();
    await sleep(10);
    assert.equal(staying.jobs.length, 2);
    assert.equal(source.released.length, 0);
    await dispatcher.stop();
  });

  it('asks nothing for a paused consumer until it resumes', async () => {
    const { source, dispatcher } = setup();
    source.add(10);
    const sink = new Sink();
    const sub = dispatcher.register('q', 30_000, sink);
    sub.pause();
    sub.grant(5);
    await sleep(10);
    assert.equal(source.calls.length, 0);
    sub.resume();
    await sleep(10);
    assert.equal(sink.jobs.length, 5);
    await dispatcher.stop();
  });

  it('leases separately for each visibility timeout', async () => {
    const { source, dispatcher } = setup();
    dispatcher.register('q', 1000, new Sink()).grant(1);
    dispatcher.register('q', 2000, new Sink()).grant(1);
    await sleep(10);
    assert.deepEqual(source.calls.map((c) => c.visibilityMs).sort(), [1000, 2000]);
    await dispatcher.stop();
  });

  it('caps one call at maxBatch', async () => {
    const { source, dispatcher } = setup({ maxBatch: 4 });
    source.add(10);
    const sink = new Sink();
    dispatcher.register('q', 30_000, sink).grant(10);
    await sleep(20);
    assert.deepEqual(
      source.calls.map((c) => c.count),
      [4, 4, 2],
    );
    assert.equal(sink.jobs.length, 10);
    await dispatcher.stop();
  });

  it('stops: waits for the call in flight, delivers it, then leases no more', async () => {
    const { source, dispatcher } = setup();
    source.add(3);
    source.hold();
    const sink = new Sink();
    const sub = dispatcher.register('q', 30_000, sink);
    sub.grant(1);
    const stopped = dispatcher.stop();
    source.unhold();
    await stopped;
    assert.equal(sink.jobs.length, 1);
    sub.grant(1);
    dispatcher.notify('q');
    await sleep(10);
    assert.equal(source.calls.length, 1);
  });
});
