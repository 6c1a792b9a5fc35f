/** With MONGODB_URI set, the server takes tenants' tiers from MongoDB (a FerretDB here). */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import type { EnqueueResponse__Output } from '../../src/generated/scheduler/v1/EnqueueResponse';
import { mongoUri, randomDbName } from '../helpers/mongo';
import { uniqueName } from '../helpers/redis';
import { unary, useTestServer } from '../helpers/server';

describe('tiers from MongoDB', () => {
  let mongo: MongoClient;
  const database = randomDbName('server');

  // The accounts are in place before the server starts.
  const t = useTestServer(async () => {
    const uri = await mongoUri();
    mongo = await new MongoClient(uri).connect();
    await mongo
      .db(database)
      .collection<{ _id: string; tier: string }>('accounts')
      .insertMany([
        { _id: 'acme', tier: 'premium' },
        { _id: 'globex', tier: 'free' },
      ]);
    return {
      MONGODB_URI: uri,
      MONGODB_DATABASE: database,
      MONGODB_COLLECTION: 'accounts',
      STATIC_TIERS: 'acme=free', // ignored: MongoDB is the source when it is configured
    };
  });

  // Registered after useTestServer, so it runs after the server has stopped.
  after(async () => {
    await mongo?.db(database).dropDatabase();
    await mongo?.close();
  });

  it('enqueues with the tier the tenant has in MongoDB, and the default for strangers', async () => {
    const queue = uniqueName();
    const tierOf = async (tenantId: string): Promise<string> => {
      const req = { queue, tenantId, payload: Buffer.from('x') };
      return (await unary<EnqueueResponse__Output>((cb) => t.client.enqueue(req, cb))).tier;
    };
    assert.equal(await tierOf('acme'), 'premium');
    assert.equal(await tierOf('globex'), 'free');
    assert.equal(await tierOf('nobody'), 'free');
    assert.equal(await tierOf('acme'), 'premium');

    const res = await fetch(`http://127.0.0.1:${t.server.metricsPort}/metrics`);
    const text = await res.text();
    assert.match(text, /scheduler_tier_cache_requests_total\{result="hit"\} [1-9]/);
    assert.match(text, /scheduler_tier_cache_requests_total\{result="miss"\} [3-9]/);
    assert.match(text, /scheduler_tier_lookups_total\{outcome="success"\} [1-9]/);
    assert.match(text, /scheduler_tier_breaker_state\{state="closed"\} 1/);
  });
});
