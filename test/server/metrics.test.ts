/** /metrics through a real server: counters, the lease wait histogram, queue depth at scrape time. */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { startRedis, uniqueName, type TestRedis } from '../helpers/redis';
import { TestWorker, seconds, startTestServer, unary, type TestServer } from '../helpers/server';

let redis: TestRedis;
let server: TestServer;

before(async () => {
  redis = await startRedis();
  server = await startTestServer(redis.url, { STATIC_TIERS: 'acme=premium' });
});
after(async () => {
  await server.stop();
  await redis.stop();
});

async function scrape(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`);
  assert.equal(res.status, 200);
  return res.text();
}

it('exports enqueued and leased counts, the lease wait by tier and queue depth by state', async () => {
  const queue = uniqueName();
  const enqueue = (tenantId: string) =>
    unary((cb) => server.client.enqueue({ queue, tenantId, payload: Buffer.from('x') }, cb));
  for (let i = 0; i < 3; i++) await enqueue('acme');
  await enqueue('nobody');
  const worker = new TestWorker(server.client, {
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
});
