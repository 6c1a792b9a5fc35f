/** Shared by the SDK tests: a real Redis and server, waiting for conditions, collecting errors. */
import { SchedulerClient, type SchedulerClientOptions } from '../../src/clients';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startTestServer, type TestServer } from '../helpers/server';

/** Fast retries so retried jobs come back within a test's patience. */
export const FAST_RETRY_ENV = { BACKOFF_BASE_MS: '20', BACKOFF_CAP_MS: '50' };

export interface Env {
  redis: TestRedis;
  server: TestServer;
  client: SchedulerClient;
  stop(): Promise<void>;
}

/** A Redis (shared when REDIS_URL is set), a server on it and an SDK client to the server. */
export async function startEnv(
  env: Record<string, string> = {},
  clientOptions: SchedulerClientOptions = {},
): Promise<Env> {
  const redis = await startRedis();
  const server = await startTestServer(redis.url, { ...FAST_RETRY_ENV, ...env });
  const client = new SchedulerClient({ address: server.address, ...clientOptions });
  return {
    redis,
    server,
    client,
    stop: async () => {
      client.close();
      await server.stop();
      await redis.stop();
    },
  };
}

/** Polls `check` until it returns true; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A promise with its resolve function, to block handlers until a test lets them go. */
export function gate(): { promise: Promise<void>; open(): void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
