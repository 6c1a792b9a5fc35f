/**
 * The MongoDB tier resolver against a real MongoDB-wire-protocol server (FerretDB unless
 * MONGODB_URI names another): lookups, caching, batching and in-flight sharing. Queries are counted
 * from the driver's command monitoring, as the server sees them.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { mongoUri } from '../helpers/mongo';
import { TIERS, TierFixture } from './fixture';
import { createMongoTierResolver } from '../../src/scheduler/tiers/mongo';

void describe('MongoDB tier resolver', () => {
  let fx: TierFixture;

  beforeEach(async () => {
    fx = new TierFixture(await mongoUri());
  });

  afterEach(async () => {
    await fx.close();
  });

  void it('resolves the tier stored for a tenant', async () => {
    await fx.customers().insertMany([
      { _id: 'acme', tier: 'premium' },
      { _id: 'bob', tier: 'free' },
    ]);
    const resolver = fx.resolver();
    assert.equal(await resolver.resolve('acme'), 'premium');
    assert.equal(await resolver.resolve('bob'), 'free');
  });

  void it('asks only for the tier and concurrency fields, by _id', async () => {
    await fx.customers().insertOne({ _id: 'acme', tier: 'premium', name: 'Acme', plan: 'x' });
    await fx.resolver().resolve('acme');
    const [find] = fx.commands.reads();
    assert.deepEqual(find?.command['filter'], { _id: { $in: ['acme'] } });
    assert.deepEqual(find?.command['projection'], { tier: 1, concurrency: 1 });
  });

  void it('reads a tenant’s own concurrency cap, ignoring a value that is not one', async () => {
    await fx.customers().insertMany([
      { _id: 'acme', tier: 'premium', concurrency: 25 },
      { _id: 'bob', tier: 'free', concurrency: 0 },
      { _id: 'eve', tier: 'free', concurrency: 'lots' },
      { _id: 'zed', tier: 'free' },
    ]);
    const resolver = fx.resolver();
    await resolver.resolveMany(['acme', 'bob', 'eve', 'zed']);
    assert.equal(resolver.concurrencyOf('acme'), 25);
    assert.equal(resolver.concurrencyOf('bob'), 0, '0: no cap for this tenant');
    assert.equal(resolver.concurrencyOf('eve'), undefined, 'not a cap: the default applies');
    assert.equal(resolver.concurrencyOf('zed'), undefined);
  });

  void it('gives a tenant missing from MongoDB the default tier, and caches that answer', async () => {
    const resolver = fx.resolver();
    assert.equal(await resolver.resolve('nobody'), 'free');
    assert.equal(await resolver.resolve('nobody'), 'free');
    assert.equal(fx.commands.reads().length, 1);
  });

  void it('serves the cached tier until the TTL expires, then picks up a change', async () => {
    await fx.customers().insertOne({ _id: 'acme', tier: 'premium' });
    const resolver = fx.resolver({ cacheTtlMs: 300 });
    assert.equal(await resolver.resolve('acme'), 'premium');
    await fx.customers().updateOne({ _id: 'acme' }, { $set: { tier: 'free' } });
    assert.equal(await resolver.resolve('acme'), 'premium', 'cached within the TTL');
    assert.equal(fx.commands.reads().length, 1);
    await sleep(400);
    assert.equal(await resolver.resolve('acme'), 'free', 'looked up again after the TTL');
    assert.equal(fx.commands.reads().length, 2);
  });

  void it('maps an unknown tier value to the default tier and warns once per tenant and value', async () => {
    await fx.customers().insertMany([
      { _id: 'gold-digger', tier: 'gold' },
      { _id: 'numbers', tier: 42 },
    ]);
    const resolver = fx.resolver({ cacheTtlMs: 100 });
    assert.equal(await resolver.resolve('gold-digger'), 'free');
    await sleep(150);
    assert.equal(await resolver.resolve('gold-digger'), 'free');
    assert.equal(fx.commands.reads().length, 2, 'looked up twice');
    assert.equal(await resolver.resolve('numbers'), 'free');
    await fx.customers().updateOne({ _id: 'gold-digger' }, { $set: { tier: 'platinum' } });
    await sleep(150);
    assert.equal(await resolver.resolve('gold-digger'), 'free');

    const warned = fx.warnings('unknown tier').map((l) => [l['tenantId'], l['tier']]);
    assert.deepEqual(warned, [
      ['gold-digger', 'gold'],
      ['numbers', 42],
      ['gold-digger', 'platinum'],
    ]);
    assert.equal(fx.eventsOf('unknown_tier').length, 4, 'every occurrence is counted');
  });

  void it('looks up a batch of 1,000 jobs from 100 tenants with one query', async () => {
    const tenants = Array.from({ length: 100 }, (_, i) => `t${i}`);
    // Even tenants are premium; odd ones have no document at all.
    await fx
      .customers()
      .insertMany(
        tenants.filter((_, i) => i % 2 === 0).map((id) => ({ _id: id, tier: 'premium' })),
      );
    const jobs = Array.from({ length: 1000 }, (_, i) => tenants[i % 100]!);
    const resolver = fx.resolver();

    const tiers = await resolver.resolveMany(jobs);
    assert.equal(fx.commands.reads().length, 1);
    assert.equal(fx.commands.findIds()[0]?.length, 100, 'each tenant asked for once');
    assert.equal(tiers.size, 100);
    tenants.forEach((id, i) => assert.equal(tiers.get(id), i % 2 === 0 ? 'premium' : 'free', id));

    await resolver.resolveMany(jobs);
    assert.equal(fx.commands.reads().length, 1, 'the second batch is all cache hits');
  });

  void it('queries only the tenants of a batch that are not cached', async () => {
    const tenants = Array.from({ length: 100 }, (_, i) => `t${i}`);
    const resolver = fx.resolver();
    await resolver.resolveMany(tenants.slice(0, 60));
    await resolver.resolveMany(tenants);
    const ids = fx.commands.findIds();
    assert.equal(ids.length, 2);
    assert.deepEqual(new Set(ids[1]), new Set(tenants.slice(60)));
  });

  void it('shares one query among concurrent lookups of the same tenant', async () => {
    await fx.customers().insertOne({ _id: 'acme', tier: 'premium' });
    const resolver = fx.resolver();
    const tiers = await Promise.all(Array.from({ length: 10 }, () => resolver.resolve('acme')));
    assert.deepEqual(tiers, Array<string>(10).fill('premium'));
    assert.equal(fx.commands.reads().length, 1);
  });

  void it('lets a batch join a lookup in flight and query only the other tenants', async () => {
    await fx.customers().insertMany([
      { _id: 'a', tier: 'premium' },
      { _id: 'b', tier: 'premium' },
    ]);
    const resolver = fx.resolver();
    const [one, many] = await Promise.all([
      resolver.resolve('a'),
      resolver.resolveMany(['a', 'b', 'c']),
    ]);
    assert.equal(one, 'premium');
    assert.deepEqual([...many].sort(), [
      ['a', 'premium'],
      ['b', 'premium'],
      ['c', 'free'],
    ]);
    assert.deepEqual(fx.commands.findIds(), [['a'], ['b', 'c']]);
  });

  void it('reads the configured database, collection, tier and concurrency fields', async () => {
    await fx
      .customers('accounts')
      .insertOne({ _id: 'acme', plan: { tier: 'premium', workers: 3 } });
    const resolver = fx.resolver({
      collection: 'accounts',
      tierField: 'plan.tier',
      concurrencyField: 'plan.workers',
    });
    assert.equal(await resolver.resolve('acme'), 'premium');
    assert.equal(resolver.concurrencyOf('acme'), 3);
    assert.deepEqual(fx.commands.reads()[0]?.command['projection'], {
      'plan.tier': 1,
      'plan.workers': 1,
    });
  });

  void it('evicts the least recently used tenant beyond the configured cache size', async () => {
    const resolver = fx.resolver({ cacheMaxEntries: 2 });
    await resolver.resolveMany(['a', 'b']);
    await resolver.resolve('a');
    await resolver.resolve('c'); // evicts b, the least recently used
    await resolver.resolveMany(['a', 'c']);
    assert.equal(fx.commands.reads().length, 2);
    await resolver.resolve('b');
    assert.equal(fx.commands.reads().length, 3);
  });

  void it('reports cache hits, misses and lookups to the observer', async () => {
    await fx.customers().insertOne({ _id: 'acme', tier: 'premium' });
    const resolver = fx.resolver();
    await resolver.resolveMany(['acme', 'nobody']);
    await resolver.resolveMany(['acme', 'nobody', 'new']);
    assert.deepEqual(
      fx.events.map((e) => (e.type === 'lookup' ? [e.type, e.outcome, e.tenants] : [e.type, e])),
      [
        ['cache_miss', { type: 'cache_miss', count: 2 }],
        ['lookup', 'success', 2],
        ['cache_hit', { type: 'cache_hit', count: 2 }],
        ['cache_miss', { type: 'cache_miss', count: 1 }],
        ['lookup', 'success', 1],
      ],
    );
  });

  void it('keeps resolving when the observer throws', async () => {
    const resolver = createMongoTierResolver({
      client: fx.client,
      database: fx.dbName,
      ...TIERS,
      logger: fx.logger,
      onEvent: () => {
        throw new Error('broken metrics');
      },
    });
    try {
      assert.equal(await resolver.resolve('nobody'), 'free');
    } finally {
      await resolver.close();
    }
  });

  void it('refuses a default tier that is not one of the configured tiers', () => {
    assert.throws(
      () => fx.resolver({ knownTiers: ['premium', 'free'], defaultTier: 'basic' }),
      /default tier basic/,
    );
  });
});
