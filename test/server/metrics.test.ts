/** /metrics through a real server: counters, the lease wait histogram, queue depth at scrape time. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { uniqueName } from '../helpers/redis';
import { TestWorker, seconds, unary, useTestServer } from '../helpers/server';

const t = useTestServer({ STATIC_TIERS: 'acme=premium' });

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
});
