/** With MONGODB_URI set, the server takes tenants' tiers from MongoDB (a FerretDB here). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import type { EnqueueResponse__Output } from '../../src/generated/scheduler/v1/EnqueueResponse';
import { mongoUri, randomDbName } from '../helpers/mongo';
import { startRedis, uniqueName, type TestRedis } from '../helpers/redis';
import { startTestServer, unary, type TestServer } from '../helpers/server';

describe('tiers from MongoDB', () => {
  let redis: TestRedis;
  let mongo: MongoClient;
  let server: TestServer;
  const database = randomDbName('server');

  before(async () => {
    const uri = await mongoUri();
    redis = await startRedis();
    mongo = await new MongoClient(uri).connect();
    await mongo
      .db(database)
      .collection<{ _id: string; tier: string }>('accounts')
      .insertMany([
        { _id: 'acme', tier: 'premium' },
        { _id: 'globex', tier: 'free' },
      ]);
    server = await startTestServer(redis.url, {
      MONGODB_URI: uri,
      MONGODB_DATABASE: database,
      MONGODB_COLLECTION: 'accounts',
      STATIC_TIERS: 'acme=free', // ignored: MongoDB is the source when it is configured
    });
  });

  after(async () => {
    await server?.stop();
    await mongo?.db(database).dropDatabase();
    await mongo?.close();
    await redis?.stop();
  });

  it('enqueues with the tier the tenant has in MongoDB, and the default for strangers', async () => {
    const queue = uniqueName();
    const tierOf = async (tenantId: string): Promise<string> => {
      const req = { queue, tenantId, payload: Buffer.from('x') };
      return (await unary<EnqueueResponse__Output>((cb) => server.client.enqueue(req, cb))).tier;
    };
    assert.equal(await tierOf('acme'), 'premium');
    assert.equal(await tierOf('globex'), 'free');
    assert.equal(await tierOf('nobody'), 'free');
    assert.equal(await tierOf('acme'), 'premium');

    const res = await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`);
    const text = await res.text();
    assert.match(text, /scheduler_tier_cache_requests_total\{result="hit"\} [1-9]/);
    assert.match(text, /scheduler_tier_cache_requests_total\{result="miss"\} [3-9]/);
    assert.match(text, /scheduler_tier_lookups_total\{outcome="success"\} [1-9]/);
    assert.match(text, /scheduler_tier_breaker_state\{state="closed"\} 1/);
  });
});
