/**
 * The scheduler on a Redis Cluster (scripts/redis-cluster.sh: 3 masters, 3 replicas). The core
 * flows over many queues spread across the slots, judged by the history checker; the fair share
 * on one queue; wake-ups across replicas through pub/sub (PUBLISH inside a script on one node
 * reaches a subscriber connected to another). The failover scenario is in cluster-failover.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EnqueueBatchResponse__Output } from '../../src/generated/scheduler/v1/EnqueueBatchResponse';
import type { GetQueueStatsResponse__Output } from '../../src/generated/scheduler/v1/GetQueueStatsResponse';
import type { ListQueuesResponse__Output } from '../../src/generated/scheduler/v1/ListQueuesResponse';
import { startClusterPair, type ClusterPair, type TestCluster } from '../helpers/cluster';
import { uniqueName } from '../helpers/redis';
import {
  TestWorker,
  leaseAndVanish,
  statesOnceUnleased,
  unary,
  type TestServer,
} from '../helpers/server';
import { summarize } from './checker';
import { LoadRun, describeReport } from './run';
import { wakeLatency } from './wake';

const ENV = { STATIC_TIERS: 'acme=premium' };

describe('on a Redis Cluster', () => {
  let pair: ClusterPair;
  let cluster: TestCluster;
  let a: TestServer;
  let b: TestServer;

  before(async () => {
    pair = await startClusterPair(ENV);
    ({ cluster, a, b } = pair);
  });

  after(() => pair?.stop());

  it(
    'runs enqueue, lease, ack, nack, dead letters and stats over queues on every master',
    { timeout: 60_000 },
    async () => {
      const queues = await cluster.queuesOnEveryMaster('cq', 4);
      const masters = new Set(
        await Promise.all(queues.map(async (q) => (await cluster.masterOf(q)).port)),
      );
      assert.equal(masters.size, 3, 'the queues are spread over all three masters');
      const run = new LoadRun({
        addresses: [a.address, b.address],
        queues,
        rate: 300,
        total: 1200,
        batchSize: 24, // each batch spans every queue: one script call per queue
        cancelRate: 0.01,
        delayedRate: 0.1,
        worker: {
          visibilityMs: 3000,
          credits: 10,
          workMs: [5, 50],
          nackRate: 0.05,
          deadRate: 0.02,
          inlineRate: 0.3,
        },
      });
      run.start();
      await run.stopProducing();
      assert.ok(await run.drain(25_000), 'every job settled');
      const report = await run.finish();
      console.log(describeReport('cluster core flows', report));
      assert.deepEqual(report.verdict.violations, [], summarize(report.verdict));
      let acked = 0;
      for (const queue of queues) {
        const stats = await unary<GetQueueStatsResponse__Output>((cb) =>
          a.client.getQueueStats({ queue }, cb),
        );
        const { pending, scheduled, leased } = stats.counts!;
        assert.deepEqual(
          [pending, scheduled, leased],
          ['0', '0', '0'],
          `queue ${queue} is drained`,
        );
        acked += stats.tiers.reduce((n, t) => n + Number(t.ackedTotal), 0);
      }
      assert.equal(acked, report.verdict.figures.acks.accepted, 'acked totals match the history');
    },
  );

  it('shares a queue 10:1 between premium and free', async () => {
    const queue = uniqueName('cfair');
    const requests = Array.from({ length: 220 }, (_, i) => ({
      queue,
      tenantId: i % 2 === 0 ? 'acme' : 'globex',
      payload: Buffer.from(`${i}`),
    }));
    await unary<EnqueueBatchResponse__Output>((cb) => a.client.enqueueBatch({ requests }, cb));
    const worker = new TestWorker(b.client, { queue, credits: 55 });
    const jobs = await worker.waitForJobs(55);
    worker.end();
    const premium = jobs.slice(0, 55).filter((j) => j.job!.tier === 'premium').length;
    assert.ok(Math.abs(premium - 50) <= 1, `${premium} of 55 leases went to premium`);
  });

  it('lists queues of every master from the registry, paused ones included, on another replica', async () => {
    const queues = await cluster.queuesOnEveryMaster('clist', 2);
    for (const [i, queue] of queues.entries()) {
      const requests = Array.from({ length: i + 1 }, () => ({
        queue,
        tenantId: 'globex',
        payload: Buffer.from('p'),
      }));
      await unary<EnqueueBatchResponse__Output>((cb) => a.client.enqueueBatch({ requests }, cb));
    }
    await unary((cb) => a.client.pauseQueue({ queue: queues[0]!, tenantId: '' }, cb));
    const listed = new Map<string, { pending: string; paused: boolean }>();
    let pageToken = '';
    do {
      const page = await unary<ListQueuesResponse__Output>((cb) =>
        b.client.listQueues({ pageSize: 2, pageToken }, cb),
      );
      for (const q of page.queues)
        listed.set(q.queue, { pending: q.counts!.pending, paused: q.paused });
      pageToken = page.nextPageToken;
    } while (pageToken);
    queues.forEach((queue, i) =>
      assert.deepEqual(listed.get(queue), { pending: String(i + 1), paused: i === 0 }, queue),
    );
  });

  it('wakes an idle worker on one replica when a job is enqueued on the other, for every master', async () => {
    const queues = await cluster.queuesOnEveryMaster('cwake', 3);
    const latencies: number[] = [];
    for (const queue of queues) latencies.push(await wakeLatency(a, b, queue));
    const masters = new Set(
      await Promise.all(queues.map(async (q) => (await cluster.masterOf(q)).port)),
    );
    console.log(
      `cluster wake-up across replicas: ${latencies.join(', ')} ms (queues on ${masters.size} masters)`,
    );
    // Without pub/sub the idle worker would wait for its 2 s safety timer.
    assert.ok(Math.max(...latencies) < 500, `latencies ${latencies.join(', ')} ms`);
  });

  it('brings expired leases back with no worker connected, on queues of every master', async () => {
    const queues = await cluster.queuesOnEveryMaster('cupkeep', 1);
    const jobIds: string[] = [];
    for (const queue of queues) {
      const requests = [{ queue, tenantId: 'acme', payload: Buffer.from('x') }];
      const res = await unary<EnqueueBatchResponse__Output>((cb) =>
        a.client.enqueueBatch({ requests }, cb),
      );
      jobIds.push(res.results[0]!.job!.jobId);
      await leaseAndVanish(b.client, queue, 300);
    }
    // The upkeep index is in its own slot: the timer finds every queue through it.
    const states = await statesOnceUnleased(a.client, jobIds, 5000);
    assert.ok(!states.includes('JOB_STATE_LEASED'), `states ${states.join(', ')}`);
  });
});
