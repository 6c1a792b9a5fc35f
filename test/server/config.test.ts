/**
 * loadConfig: the documented defaults, every variable's format and rule (security and limit
 * settings included), the rules that span variables, and redactUrl.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import { loadConfig, redactUrl } from '../../src/server/config';
import { NO_TRACING, OtelTracing } from '../../src/server/tracing';
import { startTracing } from '../../src/server/tracing-sdk';
import { configError } from '../helpers/config';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const c = loadConfig({});
    assert.equal(c.redis.url, 'redis://127.0.0.1:6379');
    assert.equal(c.redis.clusterNodes, undefined);
    assert.equal(c.grpc.port, 50051);
    assert.equal(c.grpc.maxReceiveBytes, 64 * 1024 * 1024);
    assert.equal(c.metricsPort, 9464);
    assert.equal(c.mongo.uri, undefined);
    assert.equal(c.mongo.database, 'scheduler');
    assert.equal(c.mongo.collection, 'customers');
    assert.deepEqual(
      [...c.tiers.weights],
      [
        ['premium', 1000],
        ['free', 100],
      ],
    );
    assert.equal(c.tiers.defaultTier, 'free');
    assert.equal(c.tiers.static.size, 0);
    assert.equal(c.authTokensFile, undefined);
    assert.equal(c.logLevel, 'info');
    assert.equal(c.shutdownGraceMs, 25_000);
    assert.equal(c.grpc.leaseOpenTimeoutMs, 10_000);
    assert.deepEqual(c.limits, {
      maxPayloadBytes: 1_048_576,
      defaultMaxAttempts: 5,
      maxResultBytes: 65_536,
      maxProgressBytes: 4096,
    });
    assert.equal(c.maxWatchers, 10_000);
    assert.deepEqual(c.store, {
      dedupWindowMs: 86_400_000,
      retentionMs: 86_400_000,
      deadRetentionMs: 604_800_000,
      backoffBaseMs: 1000,
      backoffCapMs: 600_000,
    });
    assert.deepEqual(c.schedules, { maxPerQueue: 1000, missedRunGraceMs: 10_000 });
  });

  it('bounds the schedules per queue and the missed-run grace', () => {
    const c = loadConfig({ MAX_SCHEDULES_PER_QUEUE: '50', SCHEDULE_MISSED_RUN_GRACE_MS: '0' });
    assert.deepEqual(c.schedules, { maxPerQueue: 50, missedRunGraceMs: 0 });
    const message = configError({
      MAX_SCHEDULES_PER_QUEUE: '0',
      SCHEDULE_MISSED_RUN_GRACE_MS: '-1',
    });
    assert.match(message, /MAX_SCHEDULES_PER_QUEUE: must be an integer in 1\.\.100000 \(got "0"\)/);
    assert.match(message, /SCHEDULE_MISSED_RUN_GRACE_MS: must be an integer in 0\.\.86400000/);
  });

  it('reads tiers, cluster nodes and ports', () => {
    const c = loadConfig({
      STATIC_TIERS: 'acme=premium, globex=free',
      TIER_WEIGHTS: 'premium=1000,free=100,gold=5000',
      DEFAULT_TIER: 'gold',
      REDIS_CLUSTER_NODES: 'r1:7000,r2:7001',
      GRPC_PORT: '0',
    });
    assert.equal(c.tiers.static.get('acme'), 'premium');
    assert.equal(c.tiers.static.get('globex'), 'free');
    assert.equal(c.tiers.weights.get('gold'), 5000);
    assert.deepEqual(c.redis.clusterNodes, [
      { host: 'r1', port: 7000 },
      { host: 'r2', port: 7001 },
    ]);
    assert.equal(c.grpc.port, 0);
  });

  it('treats an empty variable as unset', () => {
    assert.equal(loadConfig({ GRPC_PORT: '' }).grpc.port, 50051);
  });

  it('names the variable and the rule of every bad value', () => {
    const message = configError({ GRPC_PORT: '70000', LOG_LEVEL: 'loud', METRICS_PORT: 'x' });
    assert.match(message, /GRPC_PORT: must be an integer in 0\.\.65535 \(got "70000"\)/);
    assert.match(message, /LOG_LEVEL: must be one of/);
    assert.match(message, /METRICS_PORT: must be an integer/);
    assert.match(
      configError({ LEASE_OPEN_TIMEOUT_MS: '50' }),
      /LEASE_OPEN_TIMEOUT_MS: must be an integer in 100\.\.600000 \(got "50"\)/,
    );
  });

  it('rejects weights that are not positive integers', () => {
    assert.match(
      configError({ TIER_WEIGHTS: 'premium=0,free=100' }),
      /TIER_WEIGHTS: must be tier=weight/,
    );
    assert.match(configError({ TIER_WEIGHTS: 'premium=1.5,free=1' }), /TIER_WEIGHTS/);
  });

  it('requires DEFAULT_TIER and the static tiers to have weights', () => {
    assert.match(
      configError({ DEFAULT_TIER: 'gold' }),
      /DEFAULT_TIER: must be one of the tiers in TIER_WEIGHTS/,
    );
    assert.match(
      configError({ STATIC_TIERS: 'acme=gold' }),
      /STATIC_TIERS: tier gold is not in TIER_WEIGHTS/,
    );
  });

  it('rejects malformed lists and URLs without echoing passwords', () => {
    assert.match(configError({ STATIC_TIERS: 'acme' }), /STATIC_TIERS: must be tenant=tier/);
    assert.match(
      configError({ REDIS_CLUSTER_NODES: 'r1' }),
      /REDIS_CLUSTER_NODES: must be host:port/,
    );
    const message = configError({ REDIS_URL: 'http://user:hunter2@host' });
    assert.match(message, /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
    assert.doesNotMatch(message, /hunter2/);
  });

  it('keeps the receive limit above the payload limit', () => {
    const message = configError({
      MAX_PAYLOAD_BYTES: String(8 * 1024 * 1024),
      GRPC_MAX_RECEIVE_BYTES: String(4 * 1024 * 1024),
    });
    assert.match(message, /GRPC_MAX_RECEIVE_BYTES: must exceed MAX_PAYLOAD_BYTES/);
  });
});

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

  it('needs TLS_CERT_FILE and TLS_KEY_FILE together, and both for TLS_CA_FILE', () => {
    assert.throws(
      () => loadConfig({ TLS_CERT_FILE: '/tls/tls.crt' }),
      /TLS_KEY_FILE: TLS_CERT_FILE and TLS_KEY_FILE must be set together/,
    );
    assert.throws(
      () => loadConfig({ TLS_CA_FILE: '/tls/ca.crt' }),
      /TLS_CA_FILE: client certificates \(mTLS\) need TLS_CERT_FILE and TLS_KEY_FILE/,
    );
  });
});

describe('tracing (the standard OTEL_* variables)', () => {
  it('is off unless an exporter is configured, or when disabled', () => {
    assert.equal(loadConfig({}).tracing, undefined);
    assert.equal(loadConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).tracing, undefined);
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    assert.equal(loadConfig({ ...endpoint, OTEL_SDK_DISABLED: 'TRUE' }).tracing, undefined);
    assert.equal(loadConfig({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).tracing, undefined);
  });

  it('starts no SDK when off: the handlers get the no-op, which only runs the operation', async () => {
    const log = pino({ level: 'silent' });
    assert.equal(startTracing(loadConfig({}).tracing, log), NO_TRACING);
    const on = startTracing(loadConfig({ OTEL_TRACES_EXPORTER: 'console' }).tracing, log);
    assert.ok(on instanceof OtelTracing);
    await on.shutdown();
  });

  it('sends OTLP to the endpoint, protobuf by default, the traces endpoint and protocol first', () => {
    assert.deepEqual(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing,
      {
        exporter: 'otlp',
        protocol: 'http/protobuf',
        url: 'http://collector:4318/v1/traces',
      },
    );
    const specific = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/in',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    });
    assert.deepEqual(specific.tracing, {
      exporter: 'otlp',
      protocol: 'http/json',
      url: 'https://traces.example/in',
    });
    assert.deepEqual(loadConfig({ OTEL_TRACES_EXPORTER: 'otlp' }).tracing?.url, undefined);
  });

  it('names the variable of a protocol, exporter or endpoint it cannot use', () => {
    assert.match(
      configError({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
      /OTEL_EXPORTER_OTLP_PROTOCOL: must be http\/protobuf or http\/json \(grpc is not supported\)/,
    );
    assert.match(
      configError({ OTEL_TRACES_EXPORTER: 'zipkin' }),
      /OTEL_TRACES_EXPORTER: must be otlp, console or none/,
    );
    assert.match(
      configError({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318' }),
      /OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an http:\/\/ or https:\/\/ URL/,
    );
    assert.match(
      configError({ OTEL_SDK_DISABLED: 'yes' }),
      /OTEL_SDK_DISABLED: must be true or false/,
    );
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    assert.equal(
      redactUrl('redis://default:s3cret@redis:6379/0'),
      'redis://default:***@redis:6379/0',
    );
    assert.equal(redactUrl('redis://redis:6379'), 'redis://redis:6379');
  });
});
