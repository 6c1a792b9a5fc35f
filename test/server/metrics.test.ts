/** /metrics through a real server: counters, the lease wait histogram, queue depth at scrape time. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { waitFor } from '../clients/helpers';
import { startRedis, uniqueName } from '../helpers/redis';
import { TestWorker, seconds, startTestServer, unary, useTestServer } from '../helpers/server';

// A Redis of its own: the queue metrics cover the first MAX_QUEUE_LABELS queues of the registry
// by name, and a Redis shared with other test files may hold more queues than that.
const t = useTestServer({ STATIC_TIERS: 'acme=premium' }, { ownRedis: true });

async function scrape(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${t.server.metricsPort}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
}

it('exports enqueued and leased counts, the lease wait by tier and queue depth by state', async () => {
  const queue = uniqueName();
  const enqueue = (tenantId: string) =>
    unary((cb) => t.server.client.enqueue({ queue, tenantId, payload: Buffer.from('x') }, cb));
  for (let i = 0; i < 3; i++) await enqueue('acme');
  await enqueue('nobody');
  const worker = new TestWorker(t.server.client, {
    queue,
    credits: 1,
    visibilityTimeout: seconds(30_000),
  });
  await worker.waitForJobs(1);
  worker.end();
  await worker.status;

  const text = await scrape();
  assert.match(
    text,
    new RegExp(`scheduler_jobs_enqueued_total\\{queue="${queue}",tier="premium"\\} 3`),
  );
  assert.match(
    text,
    new RegExp(`scheduler_jobs_leased_total\\{queue="${queue}",tier="premium"\\} 1`),
  );
  assert.match(text, /scheduler_lease_wait_seconds_count\{tier="premium"\} [1-9]/);
  assert.match(
    text,
    new RegExp(`scheduler_queue_jobs\\{queue="${queue}",tier="premium",state="pending"\\} 2`),
  );
  assert.match(
    text,
    new RegExp(`scheduler_queue_jobs\\{queue="${queue}",tier="premium",state="leased"\\} 1`),
  );
  assert.match(
    text,
    new RegExp(`scheduler_queue_jobs\\{queue="${queue}",tier="free",state="pending"\\} 1`),
  );
  assert.match(
    text,
    new RegExp(
      `scheduler_queue_oldest_ready_age_seconds\\{queue="${queue}",tier="free"\\} [0-9.e-]+`,
    ),
  );
  assert.match(text, /scheduler_rpc_duration_seconds_count\{method="Enqueue",code="OK"\} [4-9]/);
  // The autoscaling signals per queue: 4 enqueued, 1 leased.
  assert.match(text, new RegExp(`scheduler_queue_backlog\\{queue="${queue}"\\} 3\n`));
  assert.match(text, new RegExp(`scheduler_queue_add_rate\\{queue="${queue}"\\} 0\n`));
  assert.match(text, new RegExp(`scheduler_queue_dispatch_rate\\{queue="${queue}"\\} 0\n`));
  // That scrape left a sample of the totals: the next one measures against it.
  await enqueue('acme');
  const rate = new RegExp(`scheduler_queue_add_rate\\{queue="${queue}"\\} ([0-9.e+-]+)\n`);
  assert.ok(Number(rate.exec(await scrape())?.[1]) > 0);
});

it('counts a delivery of two tiers per tier, and only the acks and nacks that were applied', async () => {
  const queue = uniqueName();
  const enqueue = (tenantId: string) =>
    unary((cb) => t.server.client.enqueue({ queue, tenantId, payload: Buffer.from('x') }, cb));
  for (const tenant of ['acme', 'acme', 'nobody', 'nobody', 'nobody']) await enqueue(tenant);
  const worker = new TestWorker(t.server.client, {
    queue,
    credits: 5,
    visibilityTimeout: seconds(30_000),
  });
  const jobs = await worker.waitForJobs(5);
  const open = await scrape();
  assert.match(open, new RegExp(`scheduler_queue_lease_streams\\{queue="${queue}"\\} 1\n`));
  assert.match(open, /scheduler_tier_weight\{tier="premium"\} 1000\n/);
  const [first, second, third, ...rest] = jobs.map((j) => j.leaseId);
  // Inline: two acks that apply and one with a forged token, which is refused and not counted.
  const forged = `${first!.slice(0, first!.lastIndexOf('/'))}/0000000000`;
  worker.send({ acks: [first!, second!, forged] });
  await worker.waitForSettleErrors(1);
  // Unary: one ack and one nack.
  await unary((cb) => t.server.client.ack({ leaseId: third! }, cb));
  await unary((cb) => t.server.client.nack({ leaseId: rest[0]!, noRetry: true }, cb));
  worker.end();
  await worker.status;

  const text = await scrape();
  const count = (metric: string, labels: string): number =>
    Number(new RegExp(`${metric}\\{${labels}\\} ([0-9]+)`).exec(text)?.[1] ?? 0);
  assert.equal(count('scheduler_jobs_leased_total', `queue="${queue}",tier="premium"`), 2);
  assert.equal(count('scheduler_jobs_leased_total', `queue="${queue}",tier="free"`), 3);
  assert.equal(count('scheduler_jobs_acked_total', `queue="${queue}"`), 3);
  assert.equal(count('scheduler_jobs_nacked_total', `queue="${queue}"`), 1);
  const deadTier = jobs.find((j) => j.leaseId === rest[0])!.job!.tier;
  const dead = `queue="${queue}",tier="${deadTier}"`;
  assert.equal(count('scheduler_queue_dead_lettered_total', dead), 1);
  assert.equal(count('scheduler_queue_lease_streams', `queue="${queue}"`), 0, 'stream closed');
});

it('still answers a scrape with Redis down: scheduler_redis_up 0, the queue series left out', async () => {
  // A Redis and a server of their own: this test stops the Redis.
  const redis = await startRedis({ own: true });
  const server = await startTestServer(redis.url);
  try {
    const queue = uniqueName();
    await unary((cb) => server.client.enqueue({ queue, tenantId: 'acme' }, cb));
    const url = `http://127.0.0.1:${server.metricsPort}/metrics`;
    assert.match(
      await (await fetch(url)).text(),
      new RegExp(`scheduler_queue_backlog\\{queue="${queue}"\\} 1\n`),
    );
    await redis.stop();
    let res = { status: 0, text: '' };
    await waitFor('a scrape that reports Redis down', async () => {
      const r = await fetch(url);
      res = { status: r.status, text: await r.text() };
      return /^scheduler_redis_up 0$/m.test(res.text);
    });
    assert.equal(res.status, 200);
    assert.doesNotMatch(res.text, /^scheduler_queue_backlog\{/m, 'no stale queue values');
    assert.match(res.text, /^scheduler_queue_stats_errors_total [1-9]/m);
  } finally {
    await server.stop();
    await redis.stop();
  }
});
