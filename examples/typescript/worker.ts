/**
 * Runs jobs from a queue with the SDK's Worker and prints one JSON line per job.
 *
 *   npx tsx examples/typescript/worker.ts
 *
 * SCHEDULER_ADDR, QUEUE, CREDITS (jobs at once, default 1), COUNT (exit after this many jobs;
 * default 0: until SIGTERM) and FAIL_ATTEMPTS (throw while the attempt is at most this, to show
 * retries) configure it.
 */
import { SchedulerClient, Worker } from '../../src/clients';

const env = (name: string, fallback: string): string => process.env[name] || fallback;
const count = Number(env('COUNT', '0'));
const failAttempts = Number(env('FAIL_ATTEMPTS', '0'));

const client = new SchedulerClient({ address: env('SCHEDULER_ADDR', 'localhost:50051') });
let handled = 0;

const worker = new Worker(client, {
  queue: env('QUEUE', 'default'),
  concurrency: Number(env('CREDITS', '1')),
  handler: (job) => {
    const result = job.attempt <= failAttempts ? 'nack' : 'ack';
    const { id, tenantId: tenant, tier, priority, attempt } = job;
    console.log(JSON.stringify({ id, tenant, tier, priority, attempt, result }));
    if (++handled === count) void stop();
    if (result === 'nack') throw new Error('example failure');
  },
});
worker.on('error', (err) => console.error(`worker: ${err.message}`));

// close() takes no new jobs, lets running ones finish and settles them.
async function stop(): Promise<void> {
  await worker.close();
  client.close();
}

process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
worker.start();
