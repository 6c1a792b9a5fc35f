/**
 * Scenario 7, ceilings: what Redis and the transport can do at all on this machine, so every
 * other figure can be read against them. redis-benchmark for plain commands and the cheapest
 * script call; our scripts' own cost inside Redis, driven without gRPC; and a bare grpc-js
 * server for the same contract (bench/stub/server.ts) for unary calls and the Lease stream.
 */
import type { Ctx } from '../lib/context';
import type { Row, Section } from '../lib/model';
import { redisBenchmark } from '../lib/redis-benchmark';
import { measureScriptCosts } from '../lib/script-costs';
import { now, spread } from '../lib/timing';
import { transportRows } from './ceilings-transport';

const ref = (id: string, label: string, unit: string, value: number, note?: string): Row => ({
  id,
  label,
  unit,
  better: 'none',
  ours: { value },
  note,
});

async function redisRows(ctx: Ctx): Promise<Row[]> {
  await ctx.redis.reset();
  const n = ctx.sizes.redisBenchRequests;
  const plain = await redisBenchmark(ctx.redis.port, n, ['-t', 'set,zadd,zpopmin']);
  const piped = await redisBenchmark(ctx.redis.port, n, ['-t', 'set', '-P', '16']);
  const script = await redisBenchmark(ctx.redis.port, n, ['eval', 'return 1', '0']);
  const rows = plain.map((f) =>
    ref(
      `ceiling.redis.${f.test.toLowerCase()}`,
      `redis-benchmark ${f.test}, 50 clients`,
      'ops/s',
      f.rps,
      `p50 ${f.p50ms} ms`,
    ),
  );
  for (const f of piped)
    rows.push(ref('ceiling.redis.set.p16', 'redis-benchmark SET, pipeline 16', 'ops/s', f.rps));
  for (const f of script)
    rows.push(
      ref(
        'ceiling.redis.eval',
        'redis-benchmark EVAL "return 1"',
        'ops/s',
        f.rps,
        'the cheapest script call',
      ),
    );
  rows.push(await pingRow(ctx));
  await ctx.redis.reset();
  return rows;
}

/** One PING at a time over ioredis: the round trip every Redis call pays on this machine. */
async function pingRow(ctx: Ctx): Promise<Row> {
  const times: number[] = [];
  for (let i = 0; i < ctx.sizes.latencySamples; i++) {
    const t = now();
    await ctx.redis.admin.ping();
    times.push(now() - t);
  }
  const s = spread(times);
  return ref(
    'ceiling.redis.ping.p50',
    'Redis round trip (PING, one at a time), p50',
    'ms',
    s.p50,
    `p99 ${s.p99.toFixed(2)} ms`,
  );
}

async function scriptRows(ctx: Ctx): Promise<Row[]> {
  const costs = await measureScriptCosts(ctx.redis, 20_000, ctx.sizes.payloadBytes);
  return costs.map((c) =>
    ref(
      `ceiling.script.${c.key}`,
      c.what,
      'µs',
      c.usPerJob,
      `${Math.round(c.jobsPerSecond).toLocaleString('en-US')} jobs/s through the store alone`,
    ),
  );
}

export async function ceilingsScenario(ctx: Ctx): Promise<Omit<Section, 'seconds'>> {
  ctx.log('ceilings: redis-benchmark');
  const redis = await redisRows(ctx);
  ctx.log('ceilings: our scripts without gRPC');
  const scripts = await scriptRows(ctx);
  ctx.log('ceilings: bare grpc-js server');
  const stub = await transportRows(ctx);
  return {
    id: 'ceilings',
    title: 'Ceilings: Redis and the transport alone',
    method:
      'redis-benchmark against the same redis-server (50 clients; plain, pipelined, and a ' +
      'trivial EVAL); our Lua scripts driven through the store from this process over one ' +
      "ioredis connection like the server's (100 calls in flight, no gRPC; time inside the " +
      'script from INFO commandstats); and a bare grpc-js server for the same contract that answers at once ' +
      '(bench/stub/server.ts, a child process like our server), driven by the same client code ' +
      'as the scheduler scenarios. Figures are in the first column; there is no BullMQ side.',
    rows: [...redis, ...scripts, ...stub],
    notes: [
      'Read our unary Enqueue against the bare unary figure, EnqueueBatch against the bare batch ' +
        'figure, and the end-to-end drains against the bare Lease stream at the same concurrency.',
    ],
  };
}
