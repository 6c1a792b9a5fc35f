/**
 * Everything a scenario needs: sizes, the private Redis, the scheduler child process, clients,
 * and `measured`, which wraps a run with CPU and Redis readings.
 */
import { randomBytes } from 'node:crypto';
import type { ChildServer } from './child';
import { CpuMeter, type CpuShare } from './cpu';
import type { Client } from './grpc';
import type { Sample } from './model';
import type { BenchNats } from './nats';
import type { BenchOptions, Sizes } from './options';
import { readRedis, since, type BenchRedis, type RedisReading } from './redis';

export interface Ctx {
  options: BenchOptions;
  sizes: Sizes;
  redis: BenchRedis;
  scheduler: ChildServer;
  /** Producer connection to the scheduler. */
  producer: Client;
  /** A separate connection for Lease workers. */
  workers: Client;
  cpu: CpuMeter;
  /** The NATS JetStream peer; undefined when nats-server could not be built or started. */
  nats: BenchNats | undefined;
  log(message: string): void;
}

export function queueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export interface Measured<T> {
  result: T;
  cpu: CpuShare;
  redis: RedisReading;
}

/**
 * Runs `run` between two CPU and Redis readings. `serverPid` names the process read as the
 * server (nats-server for the NATS peer; our scheduler by default).
 */
export async function measured<T>(
  ctx: Ctx,
  run: () => Promise<T>,
  serverPid?: number,
): Promise<Measured<T>> {
  const meter = serverPid === undefined ? ctx.cpu : new CpuMeter(() => serverPid, ctx.redis.pid);
  const redisBefore = await readRedis(ctx.redis.admin);
  const cpuBefore = meter.read();
  const result = await run();
  const cpu = meter.share(cpuBefore);
  const redis = since(await readRedis(ctx.redis.admin), redisBefore);
  return { result, cpu, redis };
}

/** A rate sample (jobs/s) from a measured run of `jobs` jobs over `seconds`. */
export function rateSample(
  m: Measured<{ jobs: number; seconds: number; complete?: boolean }>,
): Sample {
  const { jobs, seconds, complete } = m.result;
  return {
    value: jobs / seconds,
    jobs,
    cpu: m.cpu,
    redis: m.redis,
    partial: complete === false,
  };
}

/** Runs `ours` and `bull` in an order that alternates by round, so neither always goes first. */
export async function alternate<T>(
  round: number,
  ours: () => Promise<T>,
  bull: () => Promise<T>,
): Promise<{ ours: T; bull: T }> {
  if (round % 2 === 0) {
    const o = await ours();
    return { ours: o, bull: await bull() };
  }
  const b = await bull();
  return { ours: await ours(), bull: b };
}

/** The sample with the median value of several rounds (its CPU split comes along). */
export function medianSample(samples: Sample[]): Sample {
  const sorted = [...samples].sort((a, b) => a.value - b.value);
  return sorted[Math.ceil(sorted.length / 2) - 1]!;
}

/**
 * Runs `rounds` alternating rounds and keeps the median of each side; NATS, when given and up,
 * runs after the other two in each round.
 */
export async function rounds(
  ctx: Ctx,
  ours: () => Promise<Sample>,
  bull: () => Promise<Sample>,
  nats?: (nats: BenchNats) => Promise<Sample>,
): Promise<{ ours: Sample; bull: Sample; nats?: Sample }> {
  const o: Sample[] = [];
  const b: Sample[] = [];
  const n: Sample[] = [];
  for (let round = 0; round < ctx.sizes.rounds; round++) {
    const pair = await alternate(round, ours, bull);
    o.push(pair.ours);
    b.push(pair.bull);
    if (nats && ctx.nats) n.push(await nats(ctx.nats));
  }
  return {
    ours: medianSample(o),
    bull: medianSample(b),
    ...(n.length > 0 && { nats: medianSample(n) }),
  };
}
