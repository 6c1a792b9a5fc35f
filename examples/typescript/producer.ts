/**
 * Enqueues jobs for tenants and prints one JSON line per job.
 *
 *   npx tsx examples/typescript/producer.ts TENANT:COUNT[:PRIORITY]...
 *
 * SCHEDULER_ADDR (default localhost:50051) and QUEUE (default `default`) say where.
 */
import { SchedulerClient } from '../../src/clients';

async function main(): Promise<void> {
  const client = new SchedulerClient({ address: process.env.SCHEDULER_ADDR ?? 'localhost:50051' });
  const queue = process.env.QUEUE ?? 'default';
  try {
    for (const spec of process.argv.slice(2)) {
      const [tenantId = '', count = '0', priority = '0'] = spec.split(':');
      for (let i = 0; i < Number(count); i++) {
        const payload = `job ${i} for ${tenantId}`;
        const res = await client.enqueue({ queue, tenantId, payload, priority: Number(priority) });
        console.log(JSON.stringify({ id: res.jobId, tenant: tenantId, tier: res.tier }));
      }
    }
  } finally {
    client.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
