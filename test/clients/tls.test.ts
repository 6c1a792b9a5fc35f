/**
 * The SDK's TLS options against a real server (the server's own TLS is test/server/tls.test.ts),
 * with certificates made by openssl for this run: a SchedulerClient and a Worker that trust the
 * CA enqueue, lease and ack; ones that do not are refused without hanging; with mutual TLS only a
 * client certificate from TLS_CA_FILE gets in.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import {
  isSchedulerClientError,
  SchedulerClient,
  SchedulerClientError,
  Status,
  Worker,
  type TlsOptions,
} from '../../src/clients';
import { clientTls, serverTlsEnv, useCerts } from '../helpers/certs';
import { uniqueName, useRedis } from '../helpers/redis';
import { startTestServer, type TestServer } from '../helpers/server';
import { waitFor } from './helpers';

const certs = useCerts();
const redis = useRedis();

function sdkClient(server: TestServer, tls: boolean | TlsOptions): SchedulerClient {
  return new SchedulerClient({ address: server.address, tls, deadlineMs: 1000 });
}

/** A producer and a Worker's client, both with `tls`, enqueue and run one job; then both close. */
async function enqueueAndWork(server: TestServer, tls: TlsOptions): Promise<void> {
  const producer = sdkClient(server, tls);
  const consumer = sdkClient(server, tls);
  try {
    await roundTrip(producer, consumer);
  } finally {
    producer.close();
    consumer.close();
  }
}

async function roundTrip(producer: SchedulerClient, consumer: SchedulerClient): Promise<void> {
  const queue = uniqueName();
  const { jobId } = await producer.enqueue({ queue, tenantId: 'acme', payload: 'over TLS' });
  const seen: string[] = [];
  const worker = new Worker(consumer, {
    queue,
    handler: (job) => void seen.push(`${job.id} ${job.payload.toString()}`),
  }).start();
  try {
    await waitFor('the job to be acked', () => worker.stats.succeeded === 1, 5000);
  } finally {
    await worker.close();
  }
  assert.deepEqual(seen, [`${jobId} over TLS`]);
  assert.equal((await producer.getJob(jobId)).state, 'succeeded');
}

/**
 * How an enqueue fails, and how long it took. With one target a unary call waits for the channel
 * to become ready (to ride out restarts), so a refused handshake ends it at its deadline.
 */
async function enqueueFailure(
  client: SchedulerClient,
): Promise<{ err: SchedulerClientError; ms: number }> {
  const started = Date.now();
  try {
    await client.enqueue({ queue: uniqueName(), tenantId: 'acme' });
  } catch (err) {
    assert.ok(isSchedulerClientError(err), `not a SchedulerClientError: ${String(err)}`);
    return { err, ms: Date.now() - started };
  } finally {
    client.close();
  }
  throw new Error('expected the enqueue to be refused');
}

/** The error a Worker on `client` reports when its stream cannot open; fails after 5 s. */
async function streamFailure(client: SchedulerClient): Promise<SchedulerClientError> {
  const worker = new Worker(client, {
    queue: uniqueName(),
    handler: () => assert.fail('no job can arrive over a refused connection'),
  });
  const reconnecting = once(worker, 'reconnecting', { signal: AbortSignal.timeout(5000) });
  worker.start();
  try {
    const [err] = (await reconnecting.catch(() =>
      assert.fail('the Worker reported nothing for 5 s: its stream hangs'),
    )) as [SchedulerClientError, number];
    assert.equal(worker.stats.received, 0);
    return err;
  } finally {
    await worker.close();
    client.close();
  }
}

describe('SDK over TLS', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(redis.url, serverTlsEnv(certs, 'tls'));
  });
  after(() => server.stop());

  it('enqueues with a client that trusts the CA, and a Worker that trusts it runs and acks the job', async () => {
    await enqueueAndWork(server, clientTls(certs));
  });

  it('ends a call from a client without the CA, or with another CA, at its deadline', async () => {
    for (const tls of [true, clientTls(certs, { trust: 'other-ca' })]) {
      const { err, ms } = await enqueueFailure(sdkClient(server, tls));
      assert.equal(err.code, Status.DEADLINE_EXCEEDED, err.message);
      assert.equal(err.method, 'Enqueue');
      assert.ok(ms < 3000, `took ${ms} ms for a 1 s deadline`);
    }
  });

  it('has a Worker without the CA, or with another CA, report UNAVAILABLE naming the certificate', async () => {
    for (const tls of [true, clientTls(certs, { trust: 'other-ca' })]) {
      const err = await streamFailure(sdkClient(server, tls));
      assert.equal(err.code, Status.UNAVAILABLE, err.message);
      assert.equal(err.method, 'Lease');
      assert.match(err.details, /unable to verify the first certificate/);
    }
  });
});

describe('SDK over mutual TLS', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(redis.url, serverTlsEnv(certs, 'mtls'));
  });
  after(() => server.stop());

  it('serves a client and a Worker presenting a certificate signed by the client CA', async () => {
    await enqueueAndWork(server, clientTls(certs, { present: 'client' }));
  });

  it('refuses a client without a certificate: its call ends at the deadline, its Worker sees UNAVAILABLE', async () => {
    const { err, ms } = await enqueueFailure(sdkClient(server, clientTls(certs)));
    assert.equal(err.code, Status.DEADLINE_EXCEEDED, err.message);
    assert.ok(ms < 3000, `took ${ms} ms for a 1 s deadline`);
    const streamErr = await streamFailure(sdkClient(server, clientTls(certs)));
    assert.equal(streamErr.code, Status.UNAVAILABLE, streamErr.message);
    assert.match(streamErr.details, /certificate required/);
  });

  it('refuses a Worker whose certificate another CA signed', async () => {
    const tls = clientTls(certs, { present: 'stranger' });
    const err = await streamFailure(sdkClient(server, tls));
    assert.equal(err.code, Status.UNAVAILABLE, err.message);
    assert.equal(err.method, 'Lease');
  });
});
