/**
 * What our Lua scripts cost inside Redis, with no gRPC and no server process in the way: the
 * store (src/scheduler/redis/store.ts) driven directly from this process over one ioredis
 * connection set up like the server's (no auto-pipelining), and Redis's own accounting (INFO
 * commandstats) of the time spent in EVALSHA.
 */
import { Redis } from 'ioredis';
import { parseLeaseId } from '../../src/scheduler/ids';
import { queueKeys, queuePrefix } from '../../src/scheduler/redis/keys';
import { assembleScript, includeReader } from '../../src/scheduler/redis/script-loader';
import { RedisJobStore } from '../../src/scheduler/redis/store';
import type { NewJob } from '../../src/scheduler/store';
import { queueName } from './context';
import { readRedis, since, type BenchRedis } from './redis';
import { loadLoop, now } from './timing';

export interface ScriptCost {
  /** Stable name, for the report's row id (ceiling.script.<key>). */
  key: string;
  what: string;
  /** µs inside the script per job (Redis's own clock). */
  usPerJob: number;
  /** Jobs per second this process reached through the store alone. */
  jobsPerSecond: number;
}

const WEIGHTS = new Map([
  ['premium', 1000],
  ['free', 100],
]);

function newJobs(n: number, payloadBytes: number, from: number): NewJob[] {
  const payload = Buffer.alloc(payloadBytes, 'x');
  return Array.from({ length: n }, (_, i) => ({
    queue: 'unused',
    tenantId: `t${(from + i) % 100}`,
    tier: 'free',
    priority: (from + i) % 10,
    maxAttempts: 5,
    payload,
  }));
}

/** Runs `ops` calls of `op` (100 in flight) and reads how long Redis spent in scripts. */
async function cost(
  redis: BenchRedis,
  key: string,
  what: string,
  ops: number,
  jobsPerOp: number,
  op: (i: number) => Promise<unknown>,
): Promise<ScriptCost> {
  const before = await readRedis(redis.admin);
  const start = now();
  const r = await loadLoop(100, 60_000, ops, async (i) => (await op(i), jobsPerOp));
  const seconds = (now() - start) / 1000;
  const d = since(await readRedis(redis.admin), before);
  return { key, what, usPerJob: d.scriptUsec / r.jobs, jobsPerSecond: r.jobs / seconds };
}

/**
 * The cost of a script that does nothing, and of the includes lease.lua (the most) and
 * extend.lua (the fewest) declare, run before any work: what each of our calls pays before doing
 * anything.
 */
async function fixedCosts(redis: BenchRedis, client: Redis, calls: number): Promise<ScriptCost[]> {
  const prelude = (includes: string[]): string =>
    assembleScript(
      'bench',
      [...includes.map((name) => `--- @include "${name}"`), 'return 1'].join('\n'),
      includeReader(),
    );
  const keys = queueKeys('p');
  const define = (name: string, lua: string): void =>
    client.defineCommand(name, { numberOfKeys: keys.length, lua });
  define('bench_empty', 'return 1');
  define('bench_lease_includes', prelude(['clock', 'tiers', 'fairness', 'ready', 'retry']));
  define('bench_extend_includes', prelude(['clock', 'settle']));
  const commands = client as unknown as Record<string, (...a: string[]) => Promise<unknown>>;
  const weights = [...WEIGHTS].map(([t, w]) => `${t}=${w}`).join(',');
  const args = [...keys, queuePrefix('p'), '', weights];
  return [
    await cost(redis, 'empty', 'an empty script (per call)', calls, 1, () =>
      commands.bench_empty!.apply(client, args),
    ),
    await cost(redis, 'prelude', "lease.lua's includes alone (per call)", calls, 1, () =>
      commands.bench_lease_includes!.apply(client, args),
    ),
    await cost(redis, 'prelude.extend', "extend.lua's includes alone (per call)", calls, 1, () =>
      commands.bench_extend_includes!.apply(client, args),
    ),
  ];
}

export async function measureScriptCosts(
  redis: BenchRedis,
  jobs: number,
  payloadBytes: number,
): Promise<ScriptCost[]> {
  await redis.reset();
  const client = new Redis({ host: redis.host, port: redis.port, enableAutoPipelining: false });
  const store = new RedisJobStore(client, { weights: WEIGHTS });
  const q = queueName('cost');
  const costs: ScriptCost[] = [];
  try {
    costs.push(...(await fixedCosts(redis, client, jobs)));
    costs.push(
      await cost(redis, 'enqueue.1', 'enqueue.lua, 1 job per call', jobs, 1, (i) =>
        store.enqueue(q, newJobs(1, payloadBytes, i)),
      ),
    );
    costs.push(
      await cost(redis, 'enqueue.100', 'enqueue.lua, 100 jobs per call', jobs / 100, 100, (i) =>
        store.enqueue(q, newJobs(100, payloadBytes, i * 100)),
      ),
    );
    // 2 * jobs are queued now: enough for both lease measurements.
    const leases: string[] = [];
    const lease = async (count: number): Promise<void> => {
      const batch = await store.lease(q, count, 120_000);
      if (batch.jobs.length !== count) throw new Error(`leased ${batch.jobs.length} of ${count}`);
      for (const job of batch.jobs) leases.push(job.leaseId);
    };
    costs.push(await cost(redis, 'lease.1', 'lease.lua, 1 job per call', jobs, 1, () => lease(1)));
    costs.push(
      await cost(redis, 'lease.100', 'lease.lua, 100 jobs per call', jobs / 100, 100, () =>
        lease(100),
      ),
    );
    costs.push(
      await cost(redis, 'ack', 'ack.lua (per job)', leases.length, 1, (i) =>
        store.ack(parseLeaseId(leases[i]!)),
      ),
    );
  } finally {
    client.disconnect();
  }
  return costs;
}
