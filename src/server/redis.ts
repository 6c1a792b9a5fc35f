/**
 * The Redis command connection. Calls must fail fast when Redis is down instead of queueing
 * while a producer waits: no offline queue (a command sent while disconnected fails at once),
 * one retry for commands cut off by a reconnect, and a command timeout for a hung server. The
 * transport turns all of these into UNAVAILABLE. Reconnecting itself never stops.
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Config } from './config';
import { readPem } from './tls';

const CONNECT_TIMEOUT_MS = 5000;

function commonOptions(config: Config['redis']): RedisOptions {
  return {
    // Concurrent calls share round trips without it: ioredis never waits for a reply before
    // sending the next command. Auto-pipelining also gathers each tick's commands into one write,
    // through a Pipeline object per tick; for our scripts, which already carry whole batches, that
    // measured slower (fewer jobs/s in every bench scenario) and made most of the server's garbage,
    // whose young-generation pauses likely set the delivery p99. See docs/architecture.md.
    enableAutoPipelining: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // A command in flight when the connection drops may have run: never send it again after the
    // reconnect (a resent enqueue makes a second job, a resent ack reports FAILED_PRECONDITION
    // for an ack that worked). It fails instead, at the latest by the command timeout, and the
    // caller sees UNAVAILABLE: an honest "unknown". See test/reliability/blip.test.ts.
    autoResendUnfulfilledCommands: false,
    commandTimeout: config.commandTimeoutMs,
    connectTimeout: CONNECT_TIMEOUT_MS,
    connectionName: 'priority-scheduler',
    // 100 ms, 200 ms, ... then every 2 s, forever.
    retryStrategy: (times) => Math.min(100 * 2 ** (times - 1), 2000),
  };
}

/**
 * Credentials and TLS, taken out of REDIS_URL so that REDIS_PASSWORD can override the URL's
 * password (ioredis lets a URL's credentials win over options) and so cluster nodes, given as
 * host:port, get them too. TLS: `rediss://`, or REDIS_TLS_CA_FILE for a private CA.
 */
export function securityOptions(config: Config['redis']): {
  bareUrl: string;
  options: RedisOptions;
} {
  const parsed = new URL(config.url);
  const username = decodeURIComponent(parsed.username) || undefined;
  const password = config.password ?? (decodeURIComponent(parsed.password) || undefined);
  parsed.username = '';
  parsed.password = '';
  const ca = config.tlsCaFile ? readPem(config.tlsCaFile, 'REDIS_TLS_CA_FILE') : undefined;
  const tls = parsed.protocol === 'rediss:' || ca ? { ...(ca && { ca }) } : undefined;
  return { bareUrl: parsed.toString(), options: { username, password, tls } };
}

export function createRedis(config: Config['redis']): Redis | Cluster {
  const { bareUrl, options } = securityOptions(config);
  if (!config.clusterNodes) return new Redis(bareUrl, { ...commonOptions(config), ...options });
  const { enableAutoPipelining, enableOfflineQueue, ...perNode } = commonOptions(config);
  return new Cluster(config.clusterNodes, {
    enableAutoPipelining,
    enableOfflineQueue,
    clusterRetryStrategy: (times) => Math.min(100 * 2 ** (times - 1), 2000),
    redisOptions: { ...perNode, ...options },
  });
}

/** Resolves true once the connection is ready, false if it is not within `timeoutMs`. */
export function waitForReady(redis: Redis | Cluster, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    const onReady = (): void => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.on('ready', onReady);
  });
}

/** Closes politely (QUIT), or drops the connection if Redis does not answer. */
export async function closeRedis(redis: Redis | Cluster): Promise<void> {
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
