/**
 * A real Redis for tests. The test command starts one and exports REDIS_URL; a test that needs a
 * server of its own (to stop or restart it) asks for `own: true` and gets a fresh redis-server
 * on a free port. Tests isolate themselves by random queue names, never by flushing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { after, before } from 'node:test';
import { Redis } from 'ioredis';
import { WAKE_CHANNEL } from '../../src/scheduler/redis/keys';

export interface TestRedis {
  url: string;
  port: number;
  /** Stops a server this helper started (no-op for the shared one). */
  stop(): Promise<void>;
  /** Starts it again on the same port (own servers only). */
  restart(): Promise<void>;
}

/** A loopback port nothing listens on (at the time of asking). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function uniqueName(prefix = 'q'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

async function waitForPing(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      probe.disconnect();
    }
  }
}

export async function startRedis(
  options: { own?: boolean; args?: string[] } = {},
): Promise<TestRedis> {
  const shared = process.env.REDIS_URL;
  if (shared && !options.own) {
    const port = Number(new URL(shared).port || 6379);
    return { url: shared, port, stop: () => Promise.resolve(), restart: () => Promise.resolve() };
  }
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ];
    child = spawn('redis-server', [...args, ...(options.args ?? [])], { stdio: 'ignore' });
    await waitForPing(url);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await launch();
  return { url, port, stop, restart: async () => (await stop(), launch()) };
}

/** A Redis for one test file (see startRedis): started before its tests, stopped after them. */
export function useRedis(options: { own?: boolean; args?: string[] } = {}): TestRedis {
  const redis = {} as TestRedis;
  before(async () => void Object.assign(redis, await startRedis(options)));
  after(() => redis.stop());
  return redis;
}

/**
 * Runs `act` while subscribed to the wake channel; the queues woken meanwhile, in order. A marker
 * published after `act` proves every earlier message had its turn, so an empty answer means no
 * wake, without sleeping. `redis` may have no offline queue (the server's settings): the
 * subscriber gets one, as it is used before its connection is ready.
 */
export async function queuesWokenBy(redis: Redis, act: () => Promise<unknown>): Promise<string[]> {
  const sub = redis.duplicate({ enableOfflineQueue: true });
  const end = `-end-${randomBytes(4).toString('hex')}`;
  const woken: string[] = [];
  let heardEnd: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (heardEnd = resolve));
  sub.on('message', (_channel: string, queue: string) =>
    queue === end ? heardEnd() : woken.push(queue),
  );
  try {
    await sub.subscribe(WAKE_CHANNEL);
    await act();
    await redis.publish(WAKE_CHANNEL, end);
    await ended;
  } finally {
    sub.disconnect();
  }
  return woken;
}
