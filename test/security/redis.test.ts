/**
 * Redis AUTH and TLS against real redis-servers: a password in REDIS_URL (with and without an
 * ACL user) or in REDIS_PASSWORD, `rediss://` with a private CA, and the same options for
 * cluster nodes. Passwords never reach the logs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { Cluster, Redis } from 'ioredis';
import type { EnqueueResponse__Output } from '../../src/generated/scheduler/v1/EnqueueResponse';
import { ConfigError, loadConfig } from '../../src/server/config';
import { createRedis, securityOptions } from '../../src/server/redis';
import { makeCerts, type Certs } from '../helpers/certs';
import { freePort, startRedis, uniqueName, type TestRedis } from '../helpers/redis';
import { rpcError, unary } from '../helpers/server';
import { healthStatus, schedulerClient, startLogged, type LoggedServer } from './clients';

const PASSWORD = 'pw-4f1c9e2b';
const ACL_PASSWORD = 'acl-pw-7d3a';

/** Enqueues one job through a fresh client; resolves to the response. */
async function enqueueOne(server: LoggedServer): Promise<EnqueueResponse__Output> {
  const client = schedulerClient(server.address);
  try {
    return await unary<EnqueueResponse__Output>((cb) =>
      client.enqueue({ queue: uniqueName(), tenantId: 'acme', payload: Buffer.from('p') }, cb),
    );
  } finally {
    client.close();
  }
}

function assertNoSecrets(server: LoggedServer, ...secrets: string[]): void {
  const text = server.lines.join('\n');
  assert.ok(server.lines.length > 0, 'the server logged something');
  for (const secret of secrets) assert.ok(!text.includes(secret), `${secret} appears in the logs`);
}

describe('Redis AUTH', () => {
  let redis: TestRedis;
  let base: string;
  before(async () => {
    redis = await startRedis({ own: true });
    // Set after start: the helper's readiness probe sends no password.
    const admin = new Redis(redis.url);
    await admin.call('ACL', 'SETUSER', 'sched', 'on', `>${ACL_PASSWORD}`, '~*', '&*', '+@all');
    await admin.config('SET', 'requirepass', PASSWORD);
    admin.disconnect();
    base = `127.0.0.1:${redis.port}`;
  });
  after(() => redis.stop());

  it('works with the password in REDIS_URL, and never logs it', async () => {
    const server = await startLogged(`redis://:${PASSWORD}@${base}`, { LOG_LEVEL: 'debug' });
    try {
      assert.equal((await enqueueOne(server)).duplicate, false);
      assert.ok(server.lines.some((l) => l.includes(`redis://:***@${base}`)));
    } finally {
      await server.stop();
    }
    assertNoSecrets(server, PASSWORD);
  });

  it('works with an ACL user and password in REDIS_URL', async () => {
    const server = await startLogged(`redis://sched:${ACL_PASSWORD}@${base}`, {
      LOG_LEVEL: 'debug',
    });
    try {
      assert.equal((await enqueueOne(server)).duplicate, false);
    } finally {
      await server.stop();
    }
    assertNoSecrets(server, ACL_PASSWORD);
  });

  it('takes REDIS_PASSWORD over the URL’s password (for a password kept in a secret)', async () => {
    const server = await startLogged(`redis://sched:wrong@${base}`, {
      REDIS_PASSWORD: ACL_PASSWORD,
      LOG_LEVEL: 'debug',
    });
    try {
      assert.equal((await enqueueOne(server)).duplicate, false);
    } finally {
      await server.stop();
    }
    assertNoSecrets(server, ACL_PASSWORD);
  });

  it('with a wrong password starts NOT_SERVING, fails calls as UNAVAILABLE and warns', async () => {
    const server = await startLogged(`redis://:not-${PASSWORD}@${base}`, { LOG_LEVEL: 'debug' });
    try {
      assert.equal(await healthStatus(server.address), 'NOT_SERVING');
      const err = await rpcError(enqueueOne(server));
      assert.equal(err.code, status.UNAVAILABLE, err.details);
      assert.ok(server.lines.some((l) => l.includes('redis refused the credentials')));
    } finally {
      await server.stop();
    }
    assertNoSecrets(server, PASSWORD);
  });

  it('never echoes REDIS_PASSWORD or a URL password in a configuration error', () => {
    assert.throws(
      () => loadConfig({ REDIS_URL: `redis://:${PASSWORD}@host:notaport` }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
        assert.ok(!err.message.includes(PASSWORD), err.message);
        return true;
      },
    );
  });
});

describe('Redis TLS', () => {
  let certs: Certs;
  let redis: TestRedis;
  let tlsPort: number;
  before(async () => {
    certs = makeCerts();
    tlsPort = await freePort();
    // The plaintext port stays open only for the helper's readiness probe; the tests use TLS.
    redis = await startRedis({
      own: true,
      args: [
        ...['--tls-port', String(tlsPort), '--tls-auth-clients', 'no'],
        ...['--tls-cert-file', certs.serverCert, '--tls-key-file', certs.serverKey],
        ...['--tls-ca-cert-file', certs.caCert],
      ],
    });
  });
  after(async () => {
    await redis.stop();
    certs.remove();
  });

  it('connects over rediss:// with REDIS_TLS_CA_FILE', async () => {
    const server = await startLogged(`rediss://127.0.0.1:${tlsPort}`, {
      REDIS_TLS_CA_FILE: certs.caCert,
    });
    try {
      assert.equal(await healthStatus(server.address), 'SERVING');
      assert.equal((await enqueueOne(server)).duplicate, false);
    } finally {
      await server.stop();
    }
  });

  it('turns TLS on for a redis:// URL when REDIS_TLS_CA_FILE is set', async () => {
    const server = await startLogged(`redis://127.0.0.1:${tlsPort}`, {
      REDIS_TLS_CA_FILE: certs.caCert,
    });
    try {
      assert.equal((await enqueueOne(server)).duplicate, false);
    } finally {
      await server.stop();
    }
  });

  it('does not trust a certificate from an unknown CA', async () => {
    const server = await startLogged(`rediss://127.0.0.1:${tlsPort}`);
    try {
      assert.equal(await healthStatus(server.address), 'NOT_SERVING');
      assert.equal((await rpcError(enqueueOne(server))).code, status.UNAVAILABLE);
    } finally {
      await server.stop();
    }
  });

  it('stops start-up when REDIS_TLS_CA_FILE cannot be read', async () => {
    await assert.rejects(
      startLogged(`rediss://127.0.0.1:${tlsPort}`, { REDIS_TLS_CA_FILE: '/nonexistent-ca.pem' }),
      /REDIS_TLS_CA_FILE: cannot read \/nonexistent-ca\.pem \(ENOENT\)/,
    );
  });

  it('gives cluster nodes the URL’s credentials, REDIS_PASSWORD and TLS', () => {
    const config = loadConfig({
      REDIS_URL: `rediss://sched:${ACL_PASSWORD}@127.0.0.1:${tlsPort}`,
      REDIS_CLUSTER_NODES: `127.0.0.1:${tlsPort}`,
      REDIS_TLS_CA_FILE: certs.caCert,
    });
    const { bareUrl, options } = securityOptions(config.redis);
    assert.equal(bareUrl, `rediss://127.0.0.1:${tlsPort}`);
    assert.equal(options.username, 'sched');
    assert.equal(options.password, ACL_PASSWORD);
    assert.ok(options.tls?.ca, 'the private CA is passed on');
    const cluster = createRedis(config.redis);
    try {
      assert.ok(cluster instanceof Cluster);
      const perNode = cluster.options.redisOptions ?? {};
      assert.equal(perNode.username, 'sched');
      assert.equal(perNode.password, ACL_PASSWORD);
      assert.ok(perNode.tls);
    } finally {
      cluster.disconnect();
    }
    const overridden = securityOptions({ ...config.redis, password: 'from-secret' });
    assert.equal(overridden.options.password, 'from-secret');
  });
});
