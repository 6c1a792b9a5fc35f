/**
 * The server's configuration: one typed object read from environment variables and validated at
 * start-up. A bad value stops the server with a message that names the variable and the rule it
 * broke. Only the composition root (main.ts) hands `process.env` to `loadConfig`.
 */
import { z } from 'zod';
import { NAME_PATTERN, TIER_PATTERN } from '../scheduler/validation';
import { TRACING_ENV, toTracingConfig, type TracingConfig } from './tracing-config';

const MIB = 1024 * 1024;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface Config {
  redis: {
    /** REDIS_URL (default redis://127.0.0.1:6379); `rediss://` for TLS. Credentials apply to cluster nodes too. */
    url: string;
    /** REDIS_CLUSTER_NODES (`host:port,...`): when set, an ioredis Cluster on these seeds. */
    clusterNodes: Array<{ host: string; port: number }> | undefined;
    /** REDIS_COMMAND_TIMEOUT_MS (5000): a command without a reply by then fails as UNAVAILABLE. */
    commandTimeoutMs: number;
    /** REDIS_PASSWORD: overrides the URL's password (so it can come from a secret); never logged. */
    password: string | undefined;
    /** REDIS_TLS_CA_FILE: PEM CA that signed Redis's certificate (TLS on, as with rediss://). */
    tlsCaFile: string | undefined;
  };
  grpc: {
    /** GRPC_PORT (50051); 0 picks a free port, which is logged. */
    port: number;
    /** GRPC_MAX_RECEIVE_BYTES (64 MiB): room for an EnqueueBatch of dozens of 1 MiB payloads. */
    maxReceiveBytes: number;
    /** GRPC_KEEPALIVE_TIME_MS (30000): the server pings idle connections this often. */
    keepaliveTimeMs: number;
    /** GRPC_KEEPALIVE_TIMEOUT_MS (10000): a ping unanswered this long closes the connection. */
    keepaliveTimeoutMs: number;
    /** GRPC_MAX_CONNECTION_AGE_MS (1800000): connections are recycled so new replicas get load. */
    maxConnectionAgeMs: number;
    /** GRPC_MAX_CONNECTION_AGE_GRACE_MS (60000): how long calls may finish on a recycled connection. */
    maxConnectionAgeGraceMs: number;
    /**
     * LEASE_OPEN_TIMEOUT_MS (10000, 100..600000): a Lease stream that sends no first message by
     * then ends with INVALID_ARGUMENT, so idle streams cannot pile up.
     */
    leaseOpenTimeoutMs: number;
    /**
     * TLS_CERT_FILE and TLS_KEY_FILE (PEM; both or neither): unset means plaintext. TLS_CA_FILE:
     * when set, clients must present a certificate signed by it (mTLS).
     */
    tls: { certFile: string; keyFile: string; caFile: string | undefined } | undefined;
  };
  /** METRICS_PORT (9464; 0 picks a free port): HTTP /metrics, /healthz, /readyz and /ui/. */
  metricsPort: number;
  dashboard: {
    /** DASHBOARD (on): `off` serves no /ui/ at all. */
    enabled: boolean;
    /** DASHBOARD_READ_ONLY (false): the dashboard shows everything and changes nothing. */
    readOnly: boolean;
  };
  mongo: {
    /** MONGODB_URI: unset means tiers come from STATIC_TIERS only. */
    uri: string | undefined;
    /** MONGODB_DATABASE (scheduler). */
    database: string;
    /** MONGODB_COLLECTION (customers): documents `{_id: <tenant>, tier: <tier>}`. */
    collection: string;
  };
  tiers: {
    /** STATIC_TIERS (`tenant=tier[:cap],...`, empty): the embedded tier source. */
    static: ReadonlyMap<string, string>;
    /** The `:cap` parts of STATIC_TIERS: tenants' own concurrency caps per queue (0: none). */
    staticConcurrency: ReadonlyMap<string, number>;
    /**
     * TENANT_CONCURRENCY (unset: none): most jobs of one tenant leased at once per queue, for
     * tenants without a cap of their own in the tier source.
     */
    tenantConcurrency: number | undefined;
    /** DEFAULT_TIER (free): tier of an unknown tenant, and the fallback when Mongo is down. */
    defaultTier: string;
    /** TIER_WEIGHTS (premium=1000,free=100): each tier's share of a queue's leases. */
    weights: ReadonlyMap<string, number>;
    /** TIER_CONCURRENCY (`tier=n,...`, empty): most jobs of a tier leased at once per queue. */
    concurrency: ReadonlyMap<string, number>;
  };
  /**
   * TENANT_RATE_LIMIT (`<n>/s`, `/m` or `/h`; unset: no limit) and TENANT_RATE_BURST (default n):
   * each tenant's enqueue budget, shared by every replica.
   */
  rateLimit: { perSecond: number; burst: number } | undefined;
  /** AUTH_TOKENS_FILE: unset means no authentication (logged as a warning). */
  authTokensFile: string | undefined;
  /** The standard OTEL_* variables (tracing-config.ts): undefined means tracing is off. */
  tracing: TracingConfig | undefined;
  /** LOG_LEVEL (info). */
  logLevel: (typeof LOG_LEVELS)[number];
  /** SHUTDOWN_GRACE_MS (25000): how long in-flight calls may finish after SIGTERM. */
  shutdownGraceMs: number;
  /**
   * MAX_PAYLOAD_BYTES (1048576), DEFAULT_MAX_ATTEMPTS (5), MAX_RESULT_BYTES (65536: a job's
   * result, carried by its ack) and MAX_PROGRESS_BYTES (4096: a job's progress report).
   */
  limits: {
    maxPayloadBytes: number;
    defaultMaxAttempts: number;
    maxResultBytes: number;
    maxProgressBytes: number;
  };
  /** MAX_WATCHERS (10000): WatchJob streams open at once on this replica; more get RESOURCE_EXHAUSTED. */
  maxWatchers: number;
  store: {
    /** DEDUP_WINDOW_MS (86400000): how long an idempotency key is remembered. */
    dedupWindowMs: number;
    /** RETENTION_MS (86400000): how long succeeded and cancelled jobs stay readable. */
    retentionMs: number;
    /** DEAD_RETENTION_MS (604800000, 7 days): how long dead jobs stay listable and redrivable. */
    deadRetentionMs: number;
    /** BACKOFF_BASE_MS (1000) and BACKOFF_CAP_MS (600000): retry backoff. */
    backoffBaseMs: number;
    backoffCapMs: number;
  };
  schedules: {
    /** MAX_SCHEDULES_PER_QUEUE (1000): an upsert of a new schedule beyond it is refused. */
    maxPerQueue: number;
    /** SCHEDULE_MISSED_RUN_GRACE_MS (10000): a run fired later than this was missed. */
    missedRunGraceMs: number;
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function int(fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): z.ZodType<number> {
  const rule = `must be an integer in ${min}..${max}`;
  return z
    .string()
    .default(String(fallback))
    .refine(
      (text) => /^[0-9]+$/.test(text.trim()) && Number(text) >= min && Number(text) <= max,
      rule,
    )
    .transform(Number);
}

function pairs(text: string): Array<[string, string]> {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const at = item.indexOf('=');
      return [item.slice(0, at), item.slice(at + 1)] as [string, string];
    });
}

const pairList = (
  rule: string,
  ok: (key: string, value: string) => boolean,
): z.ZodType<Array<[string, string]>> =>
  z
    .string()
    .refine(
      (text) => text.split(',').every((item) => item.trim() === '' || item.includes('=')),
      rule,
    )
    .transform(pairs)
    .refine((list) => list.every(([k, v]) => ok(k, v)), rule);

const hostPort = /^[A-Za-z0-9.-]+:[0-9]{1,5}$/;
/** A STATIC_TIERS value: a tier name, then optionally `:` and the tenant's own cap. */
const STATIC_ENTRY = /^[a-z0-9_-]{1,32}(:[0-9]{1,9})?$/;
const RATE = /^([1-9][0-9]{0,8})\/(s|m|h)$/;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600 };
const file = z.string().min(1, 'must not be empty').optional();
const flag = (fallback: boolean, on = 'true', off = 'false'): z.ZodType<boolean> =>
  z
    .enum([on, off], { error: `must be ${on} or ${off}` })
    .default(fallback ? on : off)
    .transform((v) => v === on);

/** Variables whose values never appear in an error message. */
const SECRETS = new Set(['REDIS_PASSWORD']);

const schema = z.object({
  REDIS_URL: z
    .string()
    .default('redis://127.0.0.1:6379')
    .refine(
      (url) => /^rediss?:\/\/.+/.test(url) && URL.canParse(url),
      'must be a redis:// or rediss:// URL',
    ),
  REDIS_CLUSTER_NODES: z
    .string()
    .optional()
    .refine(
      (v) => v === undefined || v.split(',').every((n) => hostPort.test(n.trim())),
      'must be host:port,...',
    ),
  REDIS_COMMAND_TIMEOUT_MS: int(5000, 1),
  REDIS_PASSWORD: z.string().optional(),
  REDIS_TLS_CA_FILE: file,
  GRPC_PORT: int(50051, 0, 65535),
  GRPC_MAX_RECEIVE_BYTES: int(64 * MIB, MIB, 2 ** 31 - 1),
  GRPC_KEEPALIVE_TIME_MS: int(30_000, 1000),
  GRPC_KEEPALIVE_TIMEOUT_MS: int(10_000, 1000),
  GRPC_MAX_CONNECTION_AGE_MS: int(1_800_000, 1000),
  GRPC_MAX_CONNECTION_AGE_GRACE_MS: int(60_000, 0),
  LEASE_OPEN_TIMEOUT_MS: int(10_000, 100, 600_000),
  TLS_CERT_FILE: file,
  TLS_KEY_FILE: file,
  TLS_CA_FILE: file,
  METRICS_PORT: int(9464, 0, 65535),
  DASHBOARD: flag(true, 'on', 'off'),
  DASHBOARD_READ_ONLY: flag(false),
  MONGODB_URI: z
    .string()
    .optional()
    .refine((v) => v === undefined || /^mongodb(\+srv)?:\/\//.test(v), 'must be a mongodb:// URI'),
  MONGODB_DATABASE: z.string().min(1, 'must not be empty').default('scheduler'),
  MONGODB_COLLECTION: z.string().min(1, 'must not be empty').default('customers'),
  STATIC_TIERS: pairList(
    'must be tenant=tier[:cap],... with valid names and a non-negative integer cap',
    (tenant, value) => NAME_PATTERN.test(tenant) && STATIC_ENTRY.test(value),
  ).default([]),
  DEFAULT_TIER: z.string().regex(TIER_PATTERN, 'must match [a-z0-9_-]{1,32}').default('free'),
  TIER_WEIGHTS: pairList(
    'must be tier=weight,... with positive integer weights',
    (tier, weight) => TIER_PATTERN.test(tier) && /^[1-9][0-9]{0,8}$/.test(weight),
  ).default(pairs('premium=1000,free=100')),
  TIER_CONCURRENCY: pairList(
    'must be tier=n,... with positive integer caps',
    (tier, cap) => TIER_PATTERN.test(tier) && /^[1-9][0-9]{0,8}$/.test(cap),
  ).default([]),
  TENANT_CONCURRENCY: int(0, 1, 999_999_999).optional(),
  TENANT_RATE_LIMIT: z
    .string()
    .regex(RATE, 'must be <n>/s, <n>/m or <n>/h with a positive integer n')
    .optional(),
  TENANT_RATE_BURST: int(0, 1).optional(),
  AUTH_TOKENS_FILE: z.string().min(1, 'must not be empty').optional(),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
  SHUTDOWN_GRACE_MS: int(25_000, 0),
  MAX_PAYLOAD_BYTES: int(MIB, 1, 512 * MIB),
  DEFAULT_MAX_ATTEMPTS: int(5, 1, 1000),
  MAX_RESULT_BYTES: int(64 * 1024, 0, 16 * MIB),
  MAX_PROGRESS_BYTES: int(4096, 0, MIB),
  MAX_WATCHERS: int(10_000, 0, 1_000_000),
  DEDUP_WINDOW_MS: int(86_400_000, 1000),
  RETENTION_MS: int(86_400_000, 1000),
  DEAD_RETENTION_MS: int(7 * 86_400_000, 1000),
  BACKOFF_BASE_MS: int(1000, 1),
  BACKOFF_CAP_MS: int(600_000, 1),
  MAX_SCHEDULES_PER_QUEUE: int(1000, 1, 100_000),
  SCHEDULE_MISSED_RUN_GRACE_MS: int(10_000, 0, 86_400_000),
  ...TRACING_ENV,
});

type Env = z.output<typeof schema>;

/** Rules that span variables, checked once each variable is valid on its own. */
function crossCheck(env: Env): Array<[string, string]> {
  const weights = new Map(env.TIER_WEIGHTS);
  const issues: Array<[string, string]> = [];
  if (!weights.has(env.DEFAULT_TIER))
    issues.push(['DEFAULT_TIER', 'must be one of the tiers in TIER_WEIGHTS']);
  const unknown = staticEntries(env).find(({ tier }) => !weights.has(tier));
  if (unknown) issues.push(['STATIC_TIERS', `tier ${unknown.tier} is not in TIER_WEIGHTS`]);
  if (env.BACKOFF_CAP_MS < env.BACKOFF_BASE_MS)
    issues.push(['BACKOFF_CAP_MS', 'must be at least BACKOFF_BASE_MS']);
  if (env.GRPC_MAX_RECEIVE_BYTES < env.MAX_PAYLOAD_BYTES + 64 * 1024) {
    issues.push(['GRPC_MAX_RECEIVE_BYTES', 'must exceed MAX_PAYLOAD_BYTES by at least 64 KiB']);
  }
  if (env.GRPC_MAX_RECEIVE_BYTES < env.MAX_RESULT_BYTES + 64 * 1024) {
    issues.push(['GRPC_MAX_RECEIVE_BYTES', 'must exceed MAX_RESULT_BYTES by at least 64 KiB']);
  }
  const uncapped = env.TIER_CONCURRENCY.find(([tier]) => !weights.has(tier));
  if (uncapped) issues.push(['TIER_CONCURRENCY', `tier ${uncapped[0]} is not in TIER_WEIGHTS`]);
  return [...issues, ...securityChecks(env)];
}

function securityChecks(env: Env): Array<[string, string]> {
  const issues: Array<[string, string]> = [];
  if ((env.TLS_CERT_FILE === undefined) !== (env.TLS_KEY_FILE === undefined)) {
    const missing = env.TLS_CERT_FILE === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE';
    issues.push([missing, 'TLS_CERT_FILE and TLS_KEY_FILE must be set together']);
  }
  if (env.TLS_CA_FILE !== undefined && env.TLS_CERT_FILE === undefined)
    issues.push(['TLS_CA_FILE', 'client certificates (mTLS) need TLS_CERT_FILE and TLS_KEY_FILE']);
  if (env.TENANT_RATE_BURST !== undefined && env.TENANT_RATE_LIMIT === undefined)
    issues.push(['TENANT_RATE_BURST', 'needs TENANT_RATE_LIMIT']);
  return issues;
}

/** Reads the configuration; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const blankless = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = schema.safeParse(blankless);
  const issues = parsed.success
    ? crossCheck(parsed.data)
    : parsed.error.issues.map((i): [string, string] => [
        String(i.path[0] ?? 'environment'),
        i.message,
      ]);
  if (!parsed.success || issues.length > 0) {
    const lines = issues.map(([name, rule]) => {
      const hidden = env[name] === undefined || SECRETS.has(name);
      const got = hidden ? '' : ` (got ${JSON.stringify(redactUrl(env[name]))})`;
      return `${name}: ${rule}${got}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return toConfig(parsed.data);
}

function toConfig(e: Env): Config {
  return {
    redis: {
      url: e.REDIS_URL,
      clusterNodes: e.REDIS_CLUSTER_NODES?.split(',').map((node) => {
        const [host, port] = node.trim().split(':') as [string, string];
        return { host, port: Number(port) };
      }),
      commandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
      password: e.REDIS_PASSWORD,
      tlsCaFile: e.REDIS_TLS_CA_FILE,
    },
    grpc: {
      port: e.GRPC_PORT,
      maxReceiveBytes: e.GRPC_MAX_RECEIVE_BYTES,
      keepaliveTimeMs: e.GRPC_KEEPALIVE_TIME_MS,
      keepaliveTimeoutMs: e.GRPC_KEEPALIVE_TIMEOUT_MS,
      maxConnectionAgeMs: e.GRPC_MAX_CONNECTION_AGE_MS,
      maxConnectionAgeGraceMs: e.GRPC_MAX_CONNECTION_AGE_GRACE_MS,
      leaseOpenTimeoutMs: e.LEASE_OPEN_TIMEOUT_MS,
      tls:
        e.TLS_CERT_FILE && e.TLS_KEY_FILE
          ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE, caFile: e.TLS_CA_FILE }
          : undefined,
    },
    metricsPort: e.METRICS_PORT,
    dashboard: { enabled: e.DASHBOARD, readOnly: e.DASHBOARD_READ_ONLY },
    mongo: { uri: e.MONGODB_URI, database: e.MONGODB_DATABASE, collection: e.MONGODB_COLLECTION },
    tiers: {
      static: new Map(staticEntries(e).map(({ tenant, tier }) => [tenant, tier])),
      staticConcurrency: new Map(
        staticEntries(e).flatMap(({ tenant, cap }) => (cap === undefined ? [] : [[tenant, cap]])),
      ),
      tenantConcurrency: e.TENANT_CONCURRENCY,
      defaultTier: e.DEFAULT_TIER,
      weights: new Map(e.TIER_WEIGHTS.map(([tier, weight]) => [tier, Number(weight)])),
      concurrency: new Map(e.TIER_CONCURRENCY.map(([tier, cap]) => [tier, Number(cap)])),
    },
    rateLimit: rateLimit(e),
    authTokensFile: e.AUTH_TOKENS_FILE,
    tracing: toTracingConfig(e),
    logLevel: e.LOG_LEVEL,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    limits: {
      maxPayloadBytes: e.MAX_PAYLOAD_BYTES,
      defaultMaxAttempts: e.DEFAULT_MAX_ATTEMPTS,
      maxResultBytes: e.MAX_RESULT_BYTES,
      maxProgressBytes: e.MAX_PROGRESS_BYTES,
    },
    maxWatchers: e.MAX_WATCHERS,
    store: {
      dedupWindowMs: e.DEDUP_WINDOW_MS,
      retentionMs: e.RETENTION_MS,
      deadRetentionMs: e.DEAD_RETENTION_MS,
      backoffBaseMs: e.BACKOFF_BASE_MS,
      backoffCapMs: e.BACKOFF_CAP_MS,
    },
    schedules: {
      maxPerQueue: e.MAX_SCHEDULES_PER_QUEUE,
      missedRunGraceMs: e.SCHEDULE_MISSED_RUN_GRACE_MS,
    },
  };
}

/** STATIC_TIERS entries with the optional `:cap` split off. */
function staticEntries(e: Env): Array<{ tenant: string; tier: string; cap: number | undefined }> {
  return e.STATIC_TIERS.map(([tenant, value]) => {
    const [tier = '', cap] = value.split(':');
    return { tenant, tier, cap: cap === undefined ? undefined : Number(cap) };
  });
}

function rateLimit(e: Env): Config['rateLimit'] {
  const match = e.TENANT_RATE_LIMIT && RATE.exec(e.TENANT_RATE_LIMIT);
  if (!match) return undefined;
  const n = Number(match[1]);
  return { perSecond: n / UNIT_SECONDS[match[2]!]!, burst: e.TENANT_RATE_BURST ?? n };
}

/** Hides the password of a URL (Redis, Mongo) for logs and error messages. */
export function redactUrl(text: string | undefined): string {
  if (text === undefined) return '';
  return text.replace(/(\/\/[^:/@]*:)[^@/]*@/, '$1***@');
}
