/**
 * The fairness policy, run as it runs in production: lease.lua on a real Redis, over many seeded
 * random workloads. These fail under strict priority, under banked credit, and under a
 * per-tenant FIFO that lets a big tenant delay a small one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { queuePrefix } from '../../src/scheduler/redis/keys';
import { uniqueName } from '../helpers/redis';
import { harness, type Harness } from './harness';
import { drain, fill, job, pickInt, random } from './workload';

const SEEDS = Array.from({ length: 12 }, (_, i) => 1000 + i * 7919);

describe('fair share between tiers', () => {
  let h: Harness;
  before(async () => (h = await harness()));
  after(() => h.close());

  it('gives 10 of every 11 leases to premium, give or take one, while both are backlogged', async () => {
    for (const seed of SEEDS) {
      const rnd = random(seed);
      const queue = uniqueName();
      await fill(h, queue, 'premium', pickInt(rnd, 1, 20), 700, rnd);
      await fill(h, queue, 'free', pickInt(rnd, 1, 20), 120, rnd);
      const tiers = (await drain(h, queue, 660, rnd)).map((l) => l.tier);
      for (let i = 0; i + 11 <= tiers.length; i++) {
        const premium = tiers.slice(i, i + 11).filter((t) => t === 'premium').length;
        assert.ok(
          premium >= 9 && premium <= 11,
          `seed ${seed}: window at ${i} has ${premium} premium`,
        );
      }
      let free = 0;
      tiers.forEach((tier, n) => {
        if (tier === 'free') free++;
        assert.ok(
          Math.abs(free - (n + 1) / 11) <= 1,
          `seed ${seed}: after ${n + 1} leases free has ${free}`,
        );
      });
    }
  });

  it('shares by any configured weights, within two leases per tier at every point', async () => {
    for (const seed of SEEDS) {
      const rnd = random(seed);
      const weights = {
        gold: pickInt(rnd, 1, 1000),
        silver: pickInt(rnd, 1, 1000),
        bronze: pickInt(rnd, 1, 1000),
      };
      const w = await harness({ store: { weights: new Map(Object.entries(weights)) } });
      try {
        const queue = uniqueName();
        for (const tier of Object.keys(weights))
          await fill(w, queue, tier, pickInt(rnd, 1, 5), 400, rnd);
        const total = Object.values(weights).reduce((a, b) => a + b, 0);
        const got = { gold: 0, silver: 0, bronze: 0 };
        for (const [n, { tier }] of (await drain(w, queue, 400, rnd)).entries()) {
          got[tier as keyof typeof got]++;
          for (const [name, weight] of Object.entries(weights)) {
            const fair = ((n + 1) * weight) / total;
            const diff = Math.abs(got[name as keyof typeof got] - fair);
            assert.ok(
              diff <= 2,
              `seed ${seed} ${JSON.stringify(weights)}: ${name} ${diff} off after ${n + 1}`,
            );
          }
        }
      } finally {
        await w.close();
      }
    }
  });

  it('gives a tier that was idle no burst when its work returns', async () => {
    for (const [busy, idle] of [
      ['premium', 'free'],
      ['free', 'premium'],
    ] as const) {
      const rnd = random(42);
      const queue = uniqueName();
      await fill(h, queue, busy, 5, 1200, rnd);
      await fill(h, queue, idle, 5, 20, rnd);
      await drain(h, queue, 800, rnd);
      await fill(h, queue, idle, 5, 300, rnd);
      const next = (await drain(h, queue, 110, rnd)).filter((l) => l.tier === 'free').length;
      assert.ok(next >= 9 && next <= 11, `${idle} back after idling: free got ${next} of 110`);
    }
  });

  it('gives no extra share to a tier that empties and refills between leases', async () => {
    const queue = uniqueName();
    await fill(h, queue, 'premium', 3, 600, random(7));
    let free = 0;
    for (let n = 0; n < 550; n++) {
      if ((await h.redis.exists(`${queuePrefix(queue)}:tn:free`)) === 0)
        await h.store.enqueue(queue, [job('trickle', 'free')]);
      const { jobs } = await h.store.lease(queue, 1, 600_000);
      if (jobs[0]?.job.tier === 'free') free++;
    }
    assert.ok(free >= 49 && free <= 51, `a free job always ready got ${free} of 550 leases`);
  });
});

describe('fair share between tenants of a tier', () => {
  let h: Harness;
  before(async () => (h = await harness()));
  after(() => h.close());

  it('serves a tenant with 1 job behind one with 100,000 within one lease per active tenant', async () => {
    const rnd = random(99);
    const queue = uniqueName();
    const whale = Array.from({ length: 100_000 }, () => job('whale', 'free', pickInt(rnd, 0, 9)));
    for (let i = 0; i < whale.length; i += 5000)
      await h.store.enqueue(queue, whale.slice(i, i + 5000));
    const others = pickInt(rnd, 3, 10);
    for (let t = 0; t < others; t++)
      await h.store.enqueue(
        queue,
        Array.from({ length: 50 }, () => job(`t${t}`, 'free')),
      );
    await fill(h, queue, 'premium', 4, 2000, rnd);
    await drain(h, queue, pickInt(rnd, 10, 200), rnd);
    await h.store.enqueue(queue, [job('minnow', 'free', 0)]);
    const active = others + 2;
    let freeLeases = 0;
    for (;;) {
      const { jobs } = await h.store.lease(queue, 1, 600_000);
      const leased = jobs[0]?.job;
      assert.ok(leased, 'ran out of jobs before the minnow was served');
      if (leased.tier !== 'free') continue;
      freeLeases++;
      if (leased.tenantId === 'minnow') break;
      assert.ok(
        freeLeases < active,
        `minnow still waiting after ${freeLeases} free leases (${active} active tenants)`,
      );
    }
  });

  it('gives a tenant that empties and refills no more than its round-robin share', async () => {
    const queue = uniqueName();
    await h.store.enqueue(
      queue,
      Array.from({ length: 400 }, (_, i) => job(i % 2 ? 'b' : 'c', 'free')),
    );
    let trickle = 0;
    for (let n = 0; n < 300; n++) {
      if ((await h.redis.exists(`${queuePrefix(queue)}:pri:free:a`)) === 0)
        await h.store.enqueue(queue, [job('a', 'free')]);
      const { jobs } = await h.store.lease(queue, 1, 600_000);
      if (jobs[0]?.job.tenantId === 'a') trickle++;
    }
    assert.ok(trickle >= 99 && trickle <= 101, `tenant a got ${trickle} of 300`);
  });

  it('serves a tenant higher priority first, then in enqueue order', async () => {
    for (const seed of SEEDS) {
      const rnd = random(seed);
      const queue = uniqueName();
      const priorities = Array.from({ length: 200 }, () => pickInt(rnd, 0, 9));
      const { length } = await h.store.enqueue(
        queue,
        priorities.map((p) => job('solo', 'free', p)),
      );
      const { jobs } = await h.store.lease(queue, length, 600_000);
      const got = jobs.map(({ job: j }) => [j.priority, Number(j.id.split('/')[1])] as const);
      const want = [...got].sort((x, y) => y[0] - x[0] || x[1] - y[1]);
      assert.deepEqual(got, want, `seed ${seed}`);
    }
  });
});
