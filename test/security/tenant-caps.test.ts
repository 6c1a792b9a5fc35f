/**
 * Per-tenant concurrency caps (TENANT_CONCURRENCY, and a tenant's own cap from the tier source),
 * enforced inside lease.lua like the tier caps: a tenant at its cap is skipped but stays active,
 * the other tenants of its tier keep flowing, it banks no credit, and an ack that frees its slot
 * wakes the waiting consumers. First on the store with a pinned clock (the invariant checker
 * also compares every tenant's leased count with its leased jobs), then through a real server.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type { GetQueueStatsResponse__Output } from '../../src/generated/scheduler/v1/GetQueueStatsResponse';
import { parseLeaseId } from '../../src/scheduler/ids';
import type { LeasedJob } from '../../src/scheduler/job';
import { queuePrefix } from '../../src/scheduler/redis/keys';
import { RedisJobStore } from '../../src/scheduler/redis/store';
import type { NewJob } from '../../src/scheduler/store';
import { queuesWokenBy, uniqueName } from '../helpers/redis';
import { TestWorker, seconds, sleep, unary, useTestServer } from '../helpers/server';
import { T0, checkInvariant, harness, type Harness } from '../scheduler/harness';
import { job, pickInt, random } from '../scheduler/workload';

describe('lease.lua with a default tenant cap of 2', () => {
  let h: Harness;
  let queue: string;
  before(async () => {
    h = await harness({ store: { tenantCap: 2 } });
  });
  after(() => h.close());
  afterEach(async () => {
    assert.deepEqual(await checkInvariant(h.redis, queue), [], 'every job is in exactly one state');
  });

  const fresh = (): void => {
    queue = uniqueName();
    h.clock.now = T0;
  };
  const fill = (tenant: string, n: number, extra: Partial<NewJob> = {}): Promise<unknown> =>
    h.store.enqueue(
      queue,
      Array.from({ length: n }, () => ({ ...job(tenant, 'free'), ...extra })),
    );
  const lease = async (n: number): Promise<LeasedJob[]> =>
    (await h.store.lease(queue, n, 30_000)).jobs;
  const tenants = (jobs: LeasedJob[]): string[] => jobs.map((l) => l.job.tenantId);
  const ack = (l: LeasedJob): Promise<void> => h.store.ack(parseLeaseId(l.leaseId));

  it('leases at most 2 jobs of a tenant until one is acked, keeping it active', async () => {
    fresh();
    await fill('a', 10);
    const first = await lease(10);
    assert.deepEqual(tenants(first), ['a', 'a']);
    assert.equal(await h.redis.hget(`${queuePrefix(queue)}:tleased`, 'a'), '2');
    assert.notEqual(await h.redis.zscore(`${queuePrefix(queue)}:tn:free`, 'a'), null, 'active');
    assert.deepEqual(await lease(10), [], 'nothing more while at the cap');
    await ack(first[0]!);
    assert.deepEqual(tenants(await lease(10)), ['a'], 'one slot freed, one job');
  });

  it('does not delay the other tenants of its tier', async () => {
    fresh();
    await fill('a', 10);
    await fill('b', 10);
    const got = tenants(await lease(10));
    assert.deepEqual(
      got.filter((t) => t === 'a'),
      ['a', 'a'],
    );
    assert.equal(got.length, 4, 'b is capped at 2 too');
    await fill('c', 5);
    assert.deepEqual(tenants(await lease(10)), ['c', 'c']);
  });

  it('banks no credit while at its cap: once below it, it takes turns', async () => {
    const h2 = await harness({ store: { tenantCap: 3 } });
    try {
      queue = uniqueName();
      await h2.store.enqueue(queue, [
        ...Array.from({ length: 20 }, () => job('a', 'free')),
        ...Array.from({ length: 40 }, () => ({ ...job('b', 'free'), ownCap: 0 })), // no cap
      ]);
      const out = (await h2.store.lease(queue, 4, 30_000)).jobs;
      assert.deepEqual(tenants(out), ['a', 'b', 'a', 'b']);
      // a leases its third and is held there while b is served 10 more times.
      const more = (await h2.store.lease(queue, 11, 30_000)).jobs;
      assert.deepEqual(tenants(more), ['a', ...Array<string>(10).fill('b')]);
      for (const l of [...out, ...more])
        if (l.job.tenantId === 'b') await h2.store.ack(parseLeaseId(l.leaseId));
      for (const l of [...out, ...more])
        if (l.job.tenantId === 'a') await h2.store.ack(parseLeaseId(l.leaseId));
      const next = tenants((await h2.store.lease(queue, 6, 30_000)).jobs);
      // Like a tenant back from idle: turns about, give or take one. With the credit of the
      // time it was held at its cap, it would take all three of its slots before b saw one.
      const firstThree = next.slice(0, 3).filter((t) => t === 'a').length;
      assert.ok(firstThree <= 2, next.join());
      assert.equal(next.filter((t) => t === 'a').length, 3, next.join());
      assert.deepEqual(await checkInvariant(h2.redis, queue), []);
    } finally {
      await h2.close();
    }
  });

  it('takes a tenant’s own cap over the default, and 0 as no cap', async () => {
    fresh();
    await fill('one', 5, { ownCap: 1 });
    await fill('free-for-all', 5, { ownCap: 0 });
    const got = tenants(await lease(20));
    assert.equal(got.filter((t) => t === 'one').length, 1);
    assert.equal(got.filter((t) => t === 'free-for-all').length, 5);
  });

  it('frees a slot when a lease expires or a job is nacked, released or snoozed', async () => {
    fresh();
    await fill('a', 10);
    const [x, y] = await lease(10);
    await h.store.nack(parseLeaseId(x!.leaseId), 'boom', 60_000, false);
    const [z] = await lease(10);
    assert.ok(z, 'the nack freed a slot');
    await h.store.release(parseLeaseId(y!.leaseId));
    const [w] = await lease(10);
    assert.ok(w, 'the release freed a slot');
    await h.store.release(parseLeaseId(w.leaseId), 60_000);
    assert.equal((await lease(10)).length, 1, 'the snooze freed a slot');
    h.clock.now = T0 + 30_001; // every lease so far has expired
    assert.equal((await lease(10)).length, 2);
  });

  it('gives the slot of a leased job cancelled by CancelJob back, once, and wakes consumers', async () => {
    fresh();
    await fill('a', 5);
    const [x] = await lease(10);
    assert.deepEqual(await lease(10), [], 'at its cap');
    const woken = await queuesWokenBy(h.redis, () => h.scheduler.cancelJob(x!.job.id));
    assert.deepEqual(woken, [queue], 'a slot freed with jobs ready');
    assert.equal(await h.redis.hget(`${queuePrefix(queue)}:tleased`, 'a'), '1');
    // The worker's ack of the fenced lease, and a second cancel, change no count.
    await assert.rejects(ack(x!));
    await assert.rejects(h.scheduler.cancelJob(x!.job.id));
    assert.equal(await h.redis.hget(`${queuePrefix(queue)}:tleased`, 'a'), '1');
    assert.deepEqual(tenants(await lease(10)), ['a'], 'one slot back, one job');
    assert.deepEqual(await lease(10), []);
  });

  it('counts leases taken before a cap came into force as none, never below none', async () => {
    fresh();
    const uncapped = new RedisJobStore(h.redis, {
      weights: new Map([['free', 100]]),
      pinnedNow: () => h.clock.now,
    });
    await fill('a', 6);
    const early = (await uncapped.lease(queue, 3, 30_000)).jobs;
    assert.equal(early.length, 3, 'no cap in force: three at once');
    assert.equal(await h.redis.exists(`${queuePrefix(queue)}:tleased`), 0, 'nothing counted');
    for (const l of early) await ack(l); // settled by a replica with the cap
    assert.equal(await h.redis.hget(`${queuePrefix(queue)}:tleased`, 'a'), '0');
    assert.deepEqual(tenants(await lease(10)), ['a', 'a'], 'the cap holds from here on');
  });

  it('wakes waiting consumers when an ack frees a slot of a tenant with jobs ready', async () => {
    fresh();
    await fill('a', 3);
    const leased = await lease(10);
    assert.deepEqual(await queuesWokenBy(h.redis, () => ack(leased[0]!)), [queue]);
  });

  it('never leases a tenant past its cap and never idles while a tenant is below it (seeded)', async () => {
    for (const seed of [11, 23, 37, 41, 53]) {
      const rnd = random(seed);
      fresh();
      const caps = new Map<string, number>();
      for (let t = 0; t < 6; t++) {
        const tenant = `t${t}`;
        const own = pickInt(rnd, 0, 3); // 0: the tenant has no own cap, the default 2 applies
        caps.set(tenant, own === 0 ? 2 : own);
        await fill(tenant, pickInt(rnd, 1, 12), own === 0 ? {} : { ownCap: own });
      }
      const out: LeasedJob[] = [];
      for (let step = 0; step < 40; step++) {
        if (out.length > 0 && rnd() < 0.5) {
          const [done] = out.splice(pickInt(rnd, 0, out.length - 1), 1);
          await ack(done!);
        }
        out.push(...(await lease(pickInt(rnd, 1, 5))));
        const held = new Map<string, number>();
        for (const l of out) held.set(l.job.tenantId, (held.get(l.job.tenantId) ?? 0) + 1);
        for (const [tenant, n] of held)
          assert.ok(n <= caps.get(tenant)!, `seed ${seed}: ${tenant} has ${n} out`);
        {
          // Work-conserving: a tenant below its cap with jobs ready must get the next lease.
          const ready = await h.store.listJobs({
            queue,
            state: 'pending',
            pageSize: 1000,
            pageToken: '',
            maxBytes: Number.MAX_SAFE_INTEGER,
          });
          const eligible = ready.jobs.some(
            (j) => (held.get(j.tenantId) ?? 0) < caps.get(j.tenantId)!,
          );
          if (eligible) {
            const next = await lease(1);
            assert.equal(next.length, 1, `seed ${seed}: idle while a tenant is below its cap`);
            out.push(...next);
          }
        }
      }
      assert.deepEqual(await checkInvariant(h.redis, queue), [], `seed ${seed}`);
    }
  });
});

describe('TENANT_CONCURRENCY and STATIC_TIERS caps through the server', () => {
  const t = useTestServer({
    STATIC_TIERS: 'acme=premium:1,globex=free',
    TENANT_CONCURRENCY: '2',
  });

  const enqueue = (queue: string, tenantId: string, n: number): Promise<unknown> =>
    Promise.all(
      Array.from({ length: n }, () =>
        unary((cb) => t.client.enqueue({ queue, tenantId, payload: Buffer.from('p') }, cb)),
      ),
    );

  it('streams each tenant up to its cap, and the next job as soon as an ack frees a slot', async () => {
    const queue = uniqueName();
    await enqueue(queue, 'acme', 5);
    await enqueue(queue, 'globex', 5);
    await enqueue(queue, 'initech', 5);
    const worker = new TestWorker(t.client, {
      queue,
      credits: 20,
      visibilityTimeout: seconds(30_000),
    });
    const jobs = await worker.waitForJobs(5);
    await sleep(300);
    assert.equal(worker.jobs.length, 5, 'acme 1 (its own cap), globex 2, initech 2');
    const count = (tenant: string): number =>
      worker.jobs.filter((j) => j.job?.tenantId === tenant).length;
    assert.deepEqual([count('acme'), count('globex'), count('initech')], [1, 2, 2]);
    const stats = await unary<GetQueueStatsResponse__Output>((cb) =>
      t.client.getQueueStats({ queue }, cb),
    );
    assert.equal(stats.tenantsAtCap, 3);
    const started = Date.now();
    worker.send({ acks: [jobs.find((j) => j.job?.tenantId === 'acme')!.leaseId] });
    const [, , , , , sixth] = await worker.waitForJobs(6);
    assert.equal(sixth?.job?.tenantId, 'acme');
    // Woken by the ack (the dispatcher's idle safety net is 2 s).
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
    worker.end();
    await worker.status;
  });

  it('streams the next job of a tenant at its cap once CancelJob cancels its leased one', async () => {
    const queue = uniqueName();
    await enqueue(queue, 'acme', 3);
    const worker = new TestWorker(t.client, {
      queue,
      credits: 10,
      visibilityTimeout: seconds(30_000),
    });
    const [first] = await worker.waitForJobs(1);
    const started = Date.now();
    await unary((cb) => t.client.cancelJob({ jobId: first!.job!.id }, cb));
    const [, second] = await worker.waitForJobs(2);
    assert.equal(second?.job?.tenantId, 'acme');
    assert.notEqual(second?.job?.id, first!.job!.id);
    // Woken by the cancel (the dispatcher's idle safety net is 2 s).
    assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
    const stats = await unary<GetQueueStatsResponse__Output>((cb) =>
      t.client.getQueueStats({ queue }, cb),
    );
    assert.equal(stats.tenantsAtCap, 1, 'acme holds its one slot again');
    worker.end();
    await worker.status;
  });
});
