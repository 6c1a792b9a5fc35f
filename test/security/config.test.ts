/** The security and limit variables of loadConfig: defaults, formats and cross-checks. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/server/config';
import { configError } from '../helpers/config';
import { encodeTiers } from '../../src/scheduler/redis/scripts';

describe('security and limit settings', () => {
  it('are all off by default', () => {
    const c = loadConfig({});
    assert.equal(c.grpc.tls, undefined);
    assert.equal(c.authTokensFile, undefined);
    assert.equal(c.redis.password, undefined);
    assert.equal(c.redis.tlsCaFile, undefined);
    assert.equal(c.rateLimit, undefined);
    assert.equal(c.tiers.concurrency.size, 0);
    assert.equal(c.tiers.tenantConcurrency, undefined);
    assert.equal(c.tiers.staticConcurrency.size, 0);
  });

  it('reads the default tenant cap and tenants’ own caps from STATIC_TIERS', () => {
    const c = loadConfig({
      TENANT_CONCURRENCY: '20',
      STATIC_TIERS: 'acme=premium:100,globex=free,initech=free:0',
    });
    assert.equal(c.tiers.tenantConcurrency, 20);
    assert.deepEqual(
      [...c.tiers.static],
      [
        ['acme', 'premium'],
        ['globex', 'free'],
        ['initech', 'free'],
      ],
    );
    assert.deepEqual(
      [...c.tiers.staticConcurrency],
      [
        ['acme', 100],
        ['initech', 0],
      ],
    );
  });

  it('names TENANT_CONCURRENCY and STATIC_TIERS caps that break their rules', () => {
    assert.match(
      configError({ TENANT_CONCURRENCY: '0' }),
      /TENANT_CONCURRENCY: must be an integer in 1\.\./,
    );
    assert.match(
      configError({ STATIC_TIERS: 'acme=premium:-1' }),
      /STATIC_TIERS: must be tenant=tier\[:cap\],\.\.\. with valid names and a non-negative integer cap/,
    );
    assert.match(
      configError({ STATIC_TIERS: 'acme=gold:5' }),
      /STATIC_TIERS: tier gold is not in TIER_WEIGHTS/,
    );
  });

  it('reads TLS files, the rate limit with its burst, and tier caps', () => {
    const c = loadConfig({
      TLS_CERT_FILE: '/tls/tls.crt',
      TLS_KEY_FILE: '/tls/tls.key',
      TLS_CA_FILE: '/tls/ca.crt',
      TENANT_RATE_LIMIT: '120/m',
      TENANT_RATE_BURST: '10',
      TIER_CONCURRENCY: 'free=50',
    });
    assert.deepEqual(c.grpc.tls, {
      certFile: '/tls/tls.crt',
      keyFile: '/tls/tls.key',
      caFile: '/tls/ca.crt',
    });
    assert.deepEqual(c.rateLimit, { perSecond: 2, burst: 10 });
    assert.deepEqual([...c.tiers.concurrency], [['free', 50]]);
    assert.deepEqual(loadConfig({ TENANT_RATE_LIMIT: '100/s' }).rateLimit, {
      perSecond: 100,
      burst: 100,
    });
    assert.deepEqual(loadConfig({ TENANT_RATE_LIMIT: '3600/h' }).rateLimit?.perSecond, 1);
  });

  it('names each bad variable and its rule', () => {
    const message = configError({
      TENANT_RATE_LIMIT: '100/day',
      TIER_CONCURRENCY: 'free=0',
    });
    assert.match(message, /TENANT_RATE_LIMIT: must be <n>\/s, <n>\/m or <n>\/h/);
    assert.match(message, /TIER_CONCURRENCY: must be tier=n,... with positive integer caps/);
    assert.match(
      configError({ TIER_CONCURRENCY: 'gold=5' }),
      /TIER_CONCURRENCY: tier gold is not in TIER_WEIGHTS/,
    );
    assert.match(
      configError({ TENANT_RATE_BURST: '5' }),
      /TENANT_RATE_BURST: needs TENANT_RATE_LIMIT/,
    );
    assert.match(
      configError({ TLS_KEY_FILE: '/k' }),
      /TLS_CERT_FILE: TLS_CERT_FILE and TLS_KEY_FILE/,
    );
  });

  it('passes caps to the scripts beside the weights', () => {
    const weights = new Map([
      ['premium', 1000],
      ['free', 100],
    ]);
    assert.equal(encodeTiers(weights, new Map()), 'premium=1000,free=100');
    assert.equal(encodeTiers(weights, new Map([['free', 50]])), 'premium=1000,free=100:50');
  });
});
