/**
 * The same drain through the TypeScript SDK's Worker (src/clients), as a user would run it: each
 * job goes through its handler machinery (lease-extension timer, abort signal, Dates), where the
 * bench's own Lease worker (lease-worker.ts) only counts and acks.
 */
import { SchedulerClient, Worker } from '../../src/clients';
import { now } from './timing';

/** Starts a Worker, times until `jobs` handlers have run and close() has applied their acks. */
export async function sdkDrain(
  address: string,
  queue: string,
  concurrency: number,
  jobs: number,
  capMs: number,
  prefetch?: number,
): Promise<{ jobs: number; seconds: number; complete: boolean }> {
  const client = new SchedulerClient({ address });
  const start = now();
  let handled = 0;
  let allHandled: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allHandled = resolve));
  const worker = new Worker(client, {
    queue,
    concurrency,
    ...(prefetch !== undefined && { prefetch }),
    handler: () => {
      if (++handled === jobs) allHandled();
      return Promise.resolve();
    },
  }).start();
  let timer: NodeJS.Timeout | undefined;
  const complete = await Promise.race([
    done.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), capMs))),
  ]);
  clearTimeout(timer);
  await worker.close({ abortAfterMs: 1000 });
  const seconds = (now() - start) / 1000;
  client.close();
  return { jobs: handled, seconds, complete };
}
