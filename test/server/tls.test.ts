/**
 * The server's TLS and mutual TLS on its gRPC port (src/server/tls.ts; the SDK's TLS options are
 * test/clients/tls.test.ts), with certificates made by openssl for this run: a TLS client gets
 * through, a plaintext one does not; with TLS_CA_FILE a client must present a certificate from
 * that CA. Unusable files stop start-up naming the variable.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import type { EnqueueResponse__Output } from '../../src/generated/scheduler/v1/EnqueueResponse';
import { ConfigError } from '../../src/server/config';
import { clientTls, serverTlsEnv, useCerts, type ClientIdentity } from '../helpers/certs';
import { uniqueName, useRedis } from '../helpers/redis';
import { rpcError, unary, type Client } from '../helpers/server';
import { healthStatus, schedulerClient, startLogged, type LoggedServer } from '../security/clients';

const certs = useCerts();
const redis = useRedis();

/** grpc-js channel credentials for a TLS client that is `who`. */
function tlsCredentials(who: ClientIdentity = {}): grpc.ChannelCredentials {
  const { rootCerts, privateKey, certChain } = clientTls(certs, who);
  return grpc.credentials.createSsl(rootCerts, privateKey, certChain);
}

async function enqueueWith(
  server: LoggedServer,
  credentials: grpc.ChannelCredentials,
): Promise<EnqueueResponse__Output> {
  const client: Client = schedulerClient(server.address, { credentials });
  try {
    return await unary<EnqueueResponse__Output>((cb) =>
      client.enqueue(
        { queue: uniqueName(), tenantId: 'acme', payload: Buffer.from('p') },
        new grpc.Metadata(),
        { deadline: Date.now() + 3000 },
        cb,
      ),
    );
  } finally {
    client.close();
  }
}

describe('TLS', () => {
  let server: LoggedServer;
  before(async () => {
    server = await startLogged(redis.url, serverTlsEnv(certs, 'tls'));
  });
  after(() => server.stop());

  it('serves a client that trusts the CA, scheduler and health alike', async () => {
    const res = await enqueueWith(server, tlsCredentials());
    assert.equal(res.duplicate, false);
    assert.equal(await healthStatus(server.address, tlsCredentials()), 'SERVING');
    assert.ok(server.lines.some((l) => l.includes('"grpcTls":"tls"')));
  });

  it('refuses a plaintext client: UNAVAILABLE, nothing enqueued', async () => {
    const err = await rpcError(enqueueWith(server, grpc.credentials.createInsecure()));
    assert.equal(err.code, grpc.status.UNAVAILABLE, err.details);
  });

  it('refuses a client that does not trust the server’s CA', async () => {
    const err = await rpcError(enqueueWith(server, grpc.credentials.createSsl()));
    assert.equal(err.code, grpc.status.UNAVAILABLE, err.details);
  });
});

describe('mutual TLS', () => {
  let server: LoggedServer;
  before(async () => {
    server = await startLogged(redis.url, serverTlsEnv(certs, 'mtls'));
  });
  after(() => server.stop());

  it('serves a client presenting a certificate from TLS_CA_FILE', async () => {
    const res = await enqueueWith(server, tlsCredentials({ present: 'client' }));
    assert.equal(res.duplicate, false);
    assert.ok(server.lines.some((l) => l.includes('"grpcTls":"mtls"')));
  });

  it('refuses a TLS client without a certificate', async () => {
    const err = await rpcError(enqueueWith(server, tlsCredentials()));
    assert.equal(err.code, grpc.status.UNAVAILABLE, err.details);
  });

  it('refuses a client certificate from another CA', async () => {
    const err = await rpcError(enqueueWith(server, tlsCredentials({ present: 'stranger' })));
    assert.equal(err.code, grpc.status.UNAVAILABLE, err.details);
  });
});

describe('TLS files', () => {
  it('stops start-up on an unreadable file or a key that does not match, naming the variable', async () => {
    await assert.rejects(
      startLogged(redis.url, { TLS_CERT_FILE: '/nonexistent.pem', TLS_KEY_FILE: certs.serverKey }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.message, 'TLS_CERT_FILE: cannot read /nonexistent.pem (ENOENT)');
        return true;
      },
    );
    await assert.rejects(
      startLogged(redis.url, { TLS_CERT_FILE: certs.serverCert, TLS_KEY_FILE: certs.clientKey }),
      /TLS_CERT_FILE\/TLS_KEY_FILE: unusable \(.*key values mismatch/,
    );
  });
});
