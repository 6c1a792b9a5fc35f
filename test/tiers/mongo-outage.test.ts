/**
 * The MongoDB tier resolver when MongoDB is down, slow or not there at start-up: the circuit breaker
 * opens, lookups answer with the last known or the default tier within the breaker timeout, and the
 * resolver recovers by itself when MongoDB is back.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, it } from 'node:test';
import { createMongoTierResolver } from '../../src/scheduler/tiers/mongo';
import { mongoUri, startFerretDb } from '../helpers/mongo';
import { freePort } from '../helpers/redis';
import { startDelayProxy, viaProxy } from '../helpers/tcp-proxy';
import { TIERS, TierFixture, eventually, percentile, timed } from './fixture';

const BREAKER = {
  timeoutMs: 250,
  volumeThreshold: 2,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 1000,
};
/** Scheduling slack on a busy 2-core machine: a behavioural bound, not a benchmark. */
const MARGIN_MS = 100;
const TEST_TIMEOUT_MS = 60_000;

void describe('MongoDB tier resolver under failure', () => {
  const cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse())
      await cleanup().catch((e) => errors.push(e));
    if (errors.length > 0) throw errors[0];
  });

  function fixtureOn(uri: string, options: { dropDatabase?: boolean } = {}): TierFixture {
    const fx = new TierFixture(uri, options);
    cleanups.push(() => fx.close());
    return fx;
  }

  void it(
    'serves stale or default tiers while MongoDB is down, and recovers when it is back',
    {
      timeout: TEST_TIMEOUT_MS,
    },
    async () => {
      const ferret = await startFerretDb();
      cleanups.push(() => ferret.kill());
      const fx = fixtureOn(ferret.uri, { dropDatabase: false });
      await fx.customers().insertMany([
        { _id: 'known', tier: 'premium' },
        { _id: 'later', tier: 'premium' },
        { _id: 'untouched', tier: 'premium' },
      ]);
      const resolver = fx.resolver({ cacheTtlMs: 200, breaker: BREAKER });
      assert.equal(await resolver.resolve('known'), 'premium');

      await ferret.kill();
      await sleep(250); // the cached tier of `known` is now stale
      const down = await resolveRepeatedly(() => resolver.resolveMany(['known', 'later']), 20);
      for (const tiers of down.values) {
        assert.equal(tiers.get('known'), 'premium', 'the last known tier');
        assert.equal(tiers.get('later'), 'free', 'never looked up: the default tier');
      }
      assert.ok(
        percentile(down.ms, 100) <= BREAKER.timeoutMs + MARGIN_MS,
        `slowest ${Math.max(...down.ms).toFixed(0)} ms`,
      );
      assert.equal(resolver.breakerState, 'open');
      assert.ok(percentile(down.ms.slice(-10), 100) < 50, 'an open breaker answers at once');
      assert.ok(fx.eventsOf('fallback').some((e) => e.reason === 'breaker_open'));

      const restarted = await startFerretDb(ferret.dir, ferret.port);
      cleanups.push(() => restarted.kill());
      // Each probe is a tenant never seen before, so it needs a lookup: the half-open trial.
      let probe = 0;
      const recovered = await eventually(
        async () => {
          await resolver.resolve(`probe${probe++}`);
          return resolver.breakerState === 'closed';
        },
        20_000,
        200,
      );
      assert.ok(recovered, 'the breaker closes again after a restart');
      const readsBefore = fx.commands.reads().length;
      assert.equal(await resolver.resolve('untouched'), 'premium', 'looked up in MongoDB again');
      assert.equal(fx.commands.reads().length, readsBefore + 1);
      assertBreakerLoggedOncePerChange(fx);
      const states = fx.eventsOf('breaker_state').map((e) => e.state);
      assert.equal(states[0], 'open');
      assert.deepEqual(states.slice(-2), ['half_open', 'closed']);
    },
  );

  void it(
    'stays within the breaker timeout while MongoDB is slow',
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      const uri = await mongoUri();
      const fx = fixtureOn(uri);
      const proxy = await startDelayProxy(Number(new URL(uri).port));
      cleanups.push(() => proxy.close());
      const slow = new TierFixture(viaProxy(uri, proxy), { dbName: fx.dbName });
      cleanups.push(async () => {
        proxy.setDelay(0);
        await slow.close();
      });
      const tenants = Array.from({ length: 100 }, (_, i) => `slow${i}`);
      await fx
        .customers()
        .insertMany([
          { _id: 'warm', tier: 'premium' },
          ...tenants.map((id) => ({ _id: id, tier: 'premium' })),
        ]);
      const resolver = slow.resolver({ cacheTtlMs: 200, breaker: BREAKER });
      assert.equal(await resolver.resolve('warm'), 'premium');

      proxy.setDelay(1000);
      await sleep(250); // `warm` is now stale
      const samples: number[] = [];
      for (let wave = 0; wave < 10; wave++) {
        const ids = tenants.slice(wave * 10, wave * 10 + 10);
        const results = await Promise.all(
          [...ids, 'warm'].map((id) => timed(() => resolver.resolve(id))),
        );
        results.forEach((r) => samples.push(r.ms));
        assert.equal(results.at(-1)?.value, 'premium', 'stale tier while slow');
        ids.forEach((id, i) =>
          assert.equal(results[i]?.value, 'free', `${id}: default while slow`),
        );
      }
      const p99 = percentile(samples, 99);
      assert.ok(p99 <= BREAKER.timeoutMs + MARGIN_MS, `p99 ${p99.toFixed(0)} ms`);
      assert.ok(slow.eventsOf('lookup').some((e) => e.outcome === 'timeout'));
      assert.ok(slow.eventsOf('breaker_state').some((e) => e.state === 'open'));

      // Answers that came after the timeout were not wasted: they warmed the cache.
      await sleep(1500);
      assert.equal(await resolver.resolve('slow0'), 'premium');
    },
  );

  void it(
    'answers at once when MongoDB is unreachable at start-up, and connects later',
    {
      timeout: TEST_TIMEOUT_MS,
    },
    async () => {
      const port = await freePort();
      const fx = fixtureOn(`mongodb://127.0.0.1:${port}/`, { dropDatabase: false });
      const resolver = createMongoTierResolver({
        uri: `mongodb://127.0.0.1:${port}/`,
        database: fx.dbName,
        ...TIERS,
        breaker: BREAKER,
        logger: fx.logger,
        onEvent: (e) => fx.events.push(e),
      });
      cleanups.push(() => resolver.close());
      const first = await timed(() => resolver.resolve('acme'));
      assert.equal(first.value, 'free');
      assert.ok(first.ms <= BREAKER.timeoutMs + MARGIN_MS, `${first.ms.toFixed(0)} ms`);

      const ferret = await startFerretDb(undefined, port);
      cleanups.push(() => ferret.kill());
      await fx.customers().insertOne({ _id: 'acme', tier: 'premium' });
      const connected = await eventually(
        async () => (await resolver.resolve('acme')) === 'premium',
        20_000,
        200,
      );
      assert.ok(connected, 'connects once MongoDB is there');
    },
  );
});

async function resolveRepeatedly<T>(
  fn: () => Promise<T>,
  times: number,
): Promise<{ values: T[]; ms: number[] }> {
  const values: T[] = [];
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const r = await timed(fn);
    values.push(r.value);
    ms.push(r.ms);
  }
  return { values, ms };
}

function assertBreakerLoggedOncePerChange(fx: TierFixture): void {
  for (const state of ['open', 'half_open', 'closed'] as const) {
    const logged = fx.logs.filter((l) => l['breaker'] === 'tier_lookup' && l['state'] === state);
    const changes = fx.eventsOf('breaker_state').filter((e) => e.state === state);
    assert.ok(changes.length > 0, `breaker went ${state}`);
    assert.equal(logged.length, changes.length, `one log line per change to ${state}`);
  }
}
