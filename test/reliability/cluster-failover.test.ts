/**
 * A Redis Cluster master SIGKILLed during load; its replica takes over (cluster-node-timeout
 * 1000 ms). Producers and workers must carry on, on every shard, and the service must come back
 * whole. Replication is asynchronous, so writes the master acknowledged just before it died can
 * be missing on the replica: the checker REPORTS what was lost (jobs, acks undone) rather than
 * failing on it, and asserts only that any loss is confined to the failed shard's queues. The
 * figures go to the test output and docs/reliability.md.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startClusterPair, type ClusterPair, type TestCluster } from '../helpers/cluster';
import { uniqueName } from '../helpers/redis';
import type { TestServer } from '../helpers/server';
import { summarize, type ViolationKind } from './checker';
import { sleep } from './rpc';
import { LoadRun, describeReport } from './run';
import { wakeLatency } from './wake';

describe('a Redis Cluster master killed during load', () => {
  let pair: ClusterPair;
  let cluster: TestCluster;
  let a: TestServer;
  let b: TestServer;

  before(async () => {
    pair = await startClusterPair({});
    ({ cluster, a, b } = pair);
  });

  after(() => pair?.stop());

  it(
    'fails over to the replica; the service carries on and reports any loss',
    { timeout: 90_000 },
    async () => {
      const queues = Array.from({ length: 12 }, () => uniqueName('fo'));
      const run = new LoadRun({
        addresses: [a.address, b.address],
        queues,
        rate: 300,
        batchSize: 12,
        worker: { visibilityMs: 3000, credits: 10, workMs: [5, 50], nackRate: 0.05 },
      });
      run.start();
      await sleep(2000);

      const victim = await cluster.masterOf(queues[0]!);
      const onVictim = new Set<string>();
      for (const q of queues) if ((await cluster.masterOf(q)).port === victim.port) onVictim.add(q);
      const slot = await cluster.slotOf(queues[0]!);
      const killedAt = Date.now();
      run.history.fault('other', undefined, `master ${victim.port} SIGKILLed`);
      await cluster.kill(victim.port);
      const promoted = await cluster.waitForNewMaster(slot, victim.port);
      const failoverMs = Date.now() - killedAt;
      await sleep(3000); // load goes on against the promoted replica
      await run.stopProducing();
      const drained = await run.drain(30_000);
      const report = await run.finish();

      const lostKinds = new Map<ViolationKind, number>();
      for (const v of report.verdict.violations)
        lostKinds.set(v.kind, (lostKinds.get(v.kind) ?? 0) + 1);
      console.log(
        `cluster failover: master ${victim.port} -> replica ${promoted} in ${failoverMs} ms; ` +
          `${onVictim.size} of ${queues.length} queues on the failed shard; losses: ` +
          (lostKinds.size ? JSON.stringify(Object.fromEntries(lostKinds)) : 'none'),
      );
      console.log(describeReport('cluster failover', report));
      if (report.verdict.violations.length) console.log(summarize(report.verdict));

      assert.ok(drained, 'every job settled after the failover');
      const elsewhere = report.verdict.violations.filter(
        (v) => !onVictim.has(v.jobId.split('/')[0]!),
      );
      assert.deepEqual(elsewhere, [], 'no loss outside the failed shard');
      const after = run.history.events.filter(
        (e) => e.kind === 'enqueue' && e.at > killedAt + failoverMs,
      );
      const afterOnVictim = after.filter(
        (e) => e.kind === 'enqueue' && onVictim.has(e.jobId.split('/')[0]!),
      );
      assert.ok(
        afterOnVictim.length > 50,
        `producers went on, on the failed shard too (${afterOnVictim.length})`,
      );
      const acksAfter = run.history.events.filter(
        (e) =>
          e.kind === 'ack' &&
          e.outcome === 'OK' &&
          e.at > killedAt + failoverMs &&
          onVictim.has(e.jobId.split('/')[0]!),
      );
      assert.ok(
        acksAfter.length > 50,
        `workers went on acking on the failed shard (${acksAfter.length})`,
      );

      // Pub/sub still carries wake-ups between the replicas, for a queue on the promoted master.
      let wakeQueue = uniqueName('fo-wake');
      while ((await cluster.masterOf(wakeQueue)).port !== promoted)
        wakeQueue = uniqueName('fo-wake');
      const ms = await wakeLatency(a, b, wakeQueue);
      console.log(`cluster wake-up after the failover: ${ms} ms`);
      assert.ok(ms < 500, `wake-up after the failover took ${ms} ms`);
    },
  );
});
