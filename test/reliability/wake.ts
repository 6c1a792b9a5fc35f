/** Cross-replica wake-up latency: how fast an idle Lease stream hears of a job enqueued elsewhere. */
import { TestWorker, unary, type TestServer } from '../helpers/server';
import { sleep } from './rpc';

/** Time from an Enqueue on `producer` to the job's delivery on an idle stream on `consumer`. */
export async function wakeLatency(
  producer: TestServer,
  consumer: TestServer,
  queue: string,
): Promise<number> {
  const worker = new TestWorker(consumer.client, { queue, credits: 1 });
  await sleep(300); // its first lease call found nothing: it is asleep
  const started = Date.now();
  await unary((cb) => producer.client.enqueue({ queue, tenantId: 't' }, cb));
  await worker.waitForJobs(1, 5000);
  const ms = Date.now() - started;
  worker.end();
  return ms;
}
