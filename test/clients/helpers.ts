/** Shared by the SDK tests: a real Redis and server, waiting for conditions, collecting errors. */
import { after } from 'node:test';
import { SchedulerClient, type SchedulerClientOptions } from '../../src/clients';
import type { TestRedis } from '../helpers/redis';
import { useTestServer, type TestServer } from '../helpers/server';

/** Fast retries so retried jobs come back within a test's patience. */
export const FAST_RETRY_ENV = { BACKOFF_BASE_MS: '20', BACKOFF_CAP_MS: '50' };

/** What useEnv gives a test file: usable once its `before` hooks have run. */
export interface Env {
  redis: TestRedis;
  server: TestServer;
  client: SchedulerClient;
}

/**
 * useTestServer with fast retries, plus an SDK client to the server: a Redis (shared when
 * REDIS_URL is set), a server on it and the client, for one test file.
 */
export function useEnv(
  env: Record<string, string> = {},
  clientOptions: SchedulerClientOptions = {},
): Env {
  let client: SchedulerClient | undefined;
  // Registered before useTestServer's hooks, so it runs first: the client closes, then the server.
  after(() => client?.close());
  const t = useTestServer({ ...FAST_RETRY_ENV, ...env });
  // Getters, because a file's top-level `before` hooks all start at once: the client is made on
  // first use, in a test, when the server is up.
  return {
    get redis() {
      return t.redis;
    },
    get server() {
      return t.server;
    },
    get client() {
      return (client ??= new SchedulerClient({ address: t.server.address, ...clientOptions }));
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
