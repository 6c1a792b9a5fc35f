/**
 * The Redis command connection. Calls must fail fast when Redis is down instead of queueing
 * while a producer waits: no offline queue (a command sent while disconnected fails at once),
 * one retry for commands cut off by a reconnect, and a command timeout for a hung server. The
 * transport turns all of these into UNAVAILABLE. Reconnecting itself never stops.
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Config } from './config';

const CONNECT_TIMEOUT_MS = 5000;

function commonOptions(config: Config['redis']): RedisOptions {
  return {
    enableAutoPipelining: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: config.commandTimeoutMs,
    connectTimeout: CONNECT_TIMEOUT_MS,
    connectionName: 'priority-scheduler',
    // 100 ms, 200 ms, ... then every 2 s, forever.
    retryStrategy: (times) => Math.min(100 * 2 ** (times - 1), 2000),
  };
}

/** Credentials and TLS from REDIS_URL, for cluster nodes (which are given as host:port). */
function urlOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    username: decodeURIComponent(parsed.username) || undefined,
    password: decodeURIComponent(parsed.password) || undefined,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}

export function createRedis(config: Config['redis']): Redis | Cluster {
  if (!config.clusterNodes) return new Redis(config.url, commonOptions(config));
  const { enableAutoPipelining, enableOfflineQueue, ...perNode } = commonOptions(config);
  return new Cluster(config.clusterNodes, {
    enableAutoPipelining,
    enableOfflineQueue,
    clusterRetryStrategy: (times) => Math.min(100 * 2 ** (times - 1), 2000),
    redisOptions: { ...perNode, ...urlOptions(config.url) },
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
