/**
 * The bench's own redis-server: a private process on a free port with persistence off, so
 * FLUSHALL between measurements touches nobody else's data and no fork for a snapshot skews a
 * figure. Also the INFO readings the scenarios need (memory, CPU, script time).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from '../../test/helpers/redis';
import { within } from './timing';

export interface BenchRedis {
  host: string;
  port: number;
  url: string;
  pid: number;
  version: string;
  /** A plain connection for the bench's own reads (INFO, FLUSHALL). */
  admin: Redis;
  /** Empties the server and its statistics between measurements. */
  reset(): Promise<void>;
  /** Waits for Redis to finish growing its keyspace table after a fill; resolves to the ms waited. */
  settle(): Promise<number>;
  stop(): Promise<void>;
}

/** What Redis did between two readings: CPU seconds and time spent inside scripts. */
export interface RedisReading {
  cpuSeconds: number;
  scriptUsec: number;
  scriptCalls: number;
  usedMemory: number;
}

async function waitForPing(redis: Redis, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    try {
      await redis.ping();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export async function startRedis(): Promise<BenchRedis> {
  const port = await freePort();
  const host = '127.0.0.1';
  const args = ['--port', String(port), '--bind', host, '--save', '', '--appendonly', 'no'];
  // DEBUG HTSTATS tells `settle` whether the keyspace table is still being rehashed.
  args.push('--enable-debug-command', 'local');
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const admin = new Redis({ host, port, lazyConnect: false, maxRetriesPerRequest: 1 });
  admin.on('error', () => undefined); // the ping loop reports start-up failures
  await waitForPing(admin, child);
  const server = parseInfo(await admin.info('server'));
  return {
    host,
    port,
    url: `redis://${host}:${port}`,
    pid: child.pid ?? 0,
    version: server.get('redis_version') ?? 'unknown',
    admin,
    reset: async () => {
      // Calls of the previous measurement still in flight (a lease for a worker that just left)
      // land first, so the flush does not make them fail.
      await new Promise((r) => setTimeout(r, 150));
      await admin.flushall();
      await admin.config('RESETSTAT');
    },
    settle: () => settle(admin),
    stop: async () => {
      admin.disconnect();
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await within(5000, exited).catch(() => child.kill('SIGKILL'));
    },
  };
}

const SETTLE_CAP_MS = 60_000;

/**
 * A fill that crosses a power of two in keys makes Redis double its keyspace table, moving the
 * entries over one bucket per later command plus 1 ms per cron tick: after a 1,050,000-key fill
 * that is most of a million commands, so without this the rehash would run inside the timed drain
 * that follows (a fifth of Redis's CPU there). A queue in production pays it once as it grows;
 * the scenarios measure the steady state at a depth, so they wait for it, with the cron raised to
 * its 500 Hz ceiling meanwhile (about a second for a million keys).
 */
async function settle(admin: Redis): Promise<number> {
  const rehashing = async (): Promise<boolean> =>
    String(await admin.call('DEBUG', 'HTSTATS', '0')).includes('rehashing target');
  const started = Date.now();
  if (!(await rehashing())) return 0;
  const [, hz] = (await admin.config('GET', 'hz')) as [string, string];
  await admin.config('SET', 'hz', '500');
  try {
    while ((await rehashing()) && Date.now() - started < SETTLE_CAP_MS) {
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await admin.config('SET', 'hz', hz);
  }
  return Date.now() - started;
}

/** INFO text -> field map (commandstats lines keep their `calls=..,usec=..` value). */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields.set(line.slice(0, at), line.slice(at + 1));
  }
  return fields;
}

/** CPU, script time and memory now; subtract two readings with `since`. */
export async function readRedis(redis: Redis): Promise<RedisReading> {
  const info = parseInfo(await redis.info('all'));
  const num = (key: string): number => Number(info.get(key) ?? 0);
  let scriptUsec = 0;
  let scriptCalls = 0;
  // Inside a script Redis 7 also counts each redis.call under its own command: summing every
  // command would count script work twice, so script time is read from EVAL/EVALSHA alone.
  for (const name of ['cmdstat_eval', 'cmdstat_evalsha']) {
    const stat = info.get(name);
    if (!stat) continue;
    scriptUsec += Number(/usec=(\d+)/.exec(stat)?.[1] ?? 0);
    scriptCalls += Number(/calls=(\d+)/.exec(stat)?.[1] ?? 0);
  }
  return {
    cpuSeconds: num('used_cpu_user') + num('used_cpu_sys'),
    scriptUsec,
    scriptCalls,
    usedMemory: num('used_memory'),
  };
}

export function since(after: RedisReading, before: RedisReading): RedisReading {
  return {
    cpuSeconds: after.cpuSeconds - before.cpuSeconds,
    scriptUsec: after.scriptUsec - before.scriptUsec,
    scriptCalls: after.scriptCalls - before.scriptCalls,
    usedMemory: after.usedMemory - before.usedMemory,
  };
}
