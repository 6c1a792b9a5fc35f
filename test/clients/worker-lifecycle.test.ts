/**
 * The Worker across a server restart and through a graceful close: it reconnects on its own, and
 * close() lets running handlers finish and settles them, leaving nothing leased.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SchedulerClient, Worker, type SchedulerClientError } from '../../src/clients';
import { freePort, uniqueName } from '../helpers/redis';
import { sleep, startTestServer, useTestServer, type TestServer } from '../helpers/server';
import { FAST_RETRY_ENV, gate, waitFor } from './helpers';

// The restart tests run a server of their own on a fixed port, to stop and start it again under
// the Worker; the others share this one.
const t = useTestServer(FAST_RETRY_ENV);

const enqueue = (client: SchedulerClient, queue: string, n: number): Promise<unknown> =>
  client.enqueueBatch(Array.from({ length: n }, () => ({ queue, tenantId: 'acme' })));

describe('Worker lifecycle', () => {
  it('reconnects when the server restarts on the same port and takes the new jobs', async () => {
    const port = await freePort();
    const env = { ...FAST_RETRY_ENV, GRPC_PORT: String(port) };
    let server: TestServer = await startTestServer(t.redis.url, env);
    const client = new SchedulerClient({ address: `127.0.0.1:${port}` });
    const queue = uniqueName();
    const handled: string[] = [];
    const reconnects: SchedulerClientError[] = [];
    const worker = new Worker(client, {
      queue,
      concurrency: 2,
      handler: (j) => void handled.push(j.id),
    });
    worker.on('reconnecting', (err) => reconnects.push(err));
    worker.start();
    try {
      await enqueue(client, queue, 3);
      await waitFor('3 jobs before the restart', () => worker.stats.succeeded === 3);
      await server.stop();
      await sleep(300); // the worker retries against a closed port meanwhile
      server = await startTestServer(t.redis.url, env);
      await enqueue(client, queue, 4);
      await waitFor('4 jobs after the restart', () => worker.stats.succeeded === 7, 15_000);
      assert.equal(new Set(handled).size, 7);
      assert.ok(reconnects.length >= 1, 'the worker saw its stream end');
      assert.equal((await client.getQueueStats(queue)).counts.leased, 0);
    } finally {
      await worker.close();
      client.close();
      await server.stop();
    }
  });

  it('settles by unary call a job whose stream died while its handler ran', async () => {
    const port = await freePort();
    const env = { ...FAST_RETRY_ENV, GRPC_PORT: String(port) };
    let server: TestServer = await startTestServer(t.redis.url, env);
    const client = new SchedulerClient({ address: `127.0.0.1:${port}` });
    const queue = uniqueName();
    const release = gate();
    let deliveries = 0;
    const worker = new Worker(client, {
      queue,
      handler: async () => {
        deliveries++;
        await release.promise;
      },
    }).start();
    try {
      await enqueue(client, queue, 1);
      await waitFor('the handler', () => deliveries === 1);
      await server.stop(); // ends the stream under the running handler
      server = await startTestServer(t.redis.url, env);
      release.open();
      await waitFor('the ack', () => worker.stats.succeeded === 1);
      await waitFor('nothing leased', async () => {
        const { counts } = await client.getQueueStats(queue);
        return counts.leased === 0 && counts.pending === 0;
      });
      assert.equal(deliveries, 1);
      assert.equal(worker.stats.settleErrors, 0);
    } finally {
      await worker.close();
      client.close();
      await server.stop();
    }
  });

  it('on close, lets running handlers finish and acks them all; nothing stays leased', async () => {
    const client = new SchedulerClient({ address: t.server.address });
    const queue = uniqueName();
    const release = gate();
    let started = 0;
    const worker = new Worker(client, {
      queue,
      concurrency: 4,
      handler: async () => {
        started++;
        await release.promise;
        await sleep(100);
      },
    }).start();
    try {
      await enqueue(client, queue, 10);
      await waitFor('4 handlers running', () => started === 4);
      const closed = worker.close();
      await sleep(200); // closing does not cut the handlers short, nor start new jobs
      release.open();
      await closed;
      assert.equal(started, 4, 'no job was taken after close()');
      assert.equal(worker.stats.succeeded, 4);
      assert.equal(worker.stats.running, 0);
      const { counts } = await client.getQueueStats(queue);
      assert.deepEqual(counts, { pending: 6, scheduled: 0, leased: 0, dead: 0 });
    } finally {
      client.close();
    }
  });

  it('on close with abortAfterMs, aborts handlers that run on and nacks them for a retry', async () => {
    const client = new SchedulerClient({ address: t.server.address });
    const queue = uniqueName();
    await enqueue(client, queue, 1);
    const worker = new Worker(client, {
      queue,
      handler: (_job, { signal }) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason as Error)),
        ),
    }).start();
    try {
      await waitFor('the handler', () => worker.stats.running === 1);
      await worker.close({ abortAfterMs: 100 });
      assert.equal(worker.stats.failed, 1);
      const { counts } = await client.getQueueStats(queue);
      assert.equal(counts.leased, 0);
      assert.equal(counts.pending + counts.scheduled, 1);
    } finally {
      client.close();
    }
  });
});
