/**
 * The client's call policy, against a stub server whose answers the test scripts: which calls
 * are retried on UNAVAILABLE, the bearer token, and deadlines.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { isSchedulerClientError, SchedulerClient, Status } from '../../src/clients';
import { loadSchedulerPackage, schedulerService } from '../../src/server/proto';

/** What the stub saw, and how many UNAVAILABLE answers it gives before a real one. */
const seen = { calls: new Map<string, number>(), authorization: [] as string[] };
let failures = 0;
let server: grpc.Server;
let client: SchedulerClient;

function answer(method: string, res: object): grpc.handleUnaryCall<unknown, object> {
  return (call, callback) => {
    seen.calls.set(method, (seen.calls.get(method) ?? 0) + 1);
    seen.authorization.push(String(call.metadata.get('authorization')[0] ?? ''));
    if (failures-- > 0) callback({ code: Status.UNAVAILABLE, details: 'Redis is unavailable' });
    else callback(null, res);
  };
}

const job = { id: 'q/1', queue: 'q', tenantId: 't', tier: 'free', state: 'JOB_STATE_PENDING' };

before(async () => {
  server = new grpc.Server();
  const handlers: grpc.UntypedServiceImplementation = {
    GetJob: answer('GetJob', { job }),
    Enqueue: answer('Enqueue', { jobId: 'q/1', tier: 'free', duplicate: false }),
    Ack: answer('Ack', {}),
  };
  server.addService(schedulerService(loadSchedulerPackage()), handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  client = new SchedulerClient({
    address: `127.0.0.1:${port}`,
    token: () => 'secret-token',
    retry: { initialMs: 5, maxMs: 20 },
  });
});

after(() => {
  client.close();
  server.forceShutdown();
});

beforeEach(() => {
  seen.calls.clear();
  seen.authorization = [];
  failures = 0;
});

async function rejection(pending: Promise<unknown>): Promise<grpc.status> {
  try {
    await pending;
  } catch (err) {
    assert.ok(isSchedulerClientError(err));
    return err.code;
  }
  throw new Error('expected the call to fail');
}

describe('SchedulerClient call policy', () => {
  it('retries an idempotent call on UNAVAILABLE until it succeeds', async () => {
    failures = 2;
    assert.equal((await client.getJob('q/1')).id, 'q/1');
    assert.equal(seen.calls.get('GetJob'), 3);
  });

  it('gives up after maxAttempts', async () => {
    failures = 100;
    assert.equal(await rejection(client.getJob('q/1')), Status.UNAVAILABLE);
    assert.equal(seen.calls.get('GetJob'), 5);
  });

  it('does not retry an enqueue without an idempotency key, nor an ack', async () => {
    failures = 1;
    assert.equal(
      await rejection(client.enqueue({ queue: 'q', tenantId: 't' })),
      Status.UNAVAILABLE,
    );
    failures = 1;
    assert.equal(await rejection(client.ack('q/1/abcdefgh')), Status.UNAVAILABLE);
    assert.equal(seen.calls.get('Enqueue'), 1);
    assert.equal(seen.calls.get('Ack'), 1);
  });

  it('retries an enqueue that carries an idempotency key', async () => {
    failures = 1;
    await client.enqueue({ queue: 'q', tenantId: 't', idempotencyKey: 'k' });
    assert.equal(seen.calls.get('Enqueue'), 2);
  });

  it('sends the bearer token on every call', async () => {
    failures = 1;
    await client.getJob('q/1');
    assert.deepEqual(seen.authorization, ['Bearer secret-token', 'Bearer secret-token']);
  });

  it('reports UNIMPLEMENTED for a method the server lacks, without retrying', async () => {
    assert.equal(await rejection(client.getQueueStats('q')), Status.UNIMPLEMENTED);
  });
});
