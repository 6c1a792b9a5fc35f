/**
 * Scenario 6, scale: does lease throughput hold as the queue deepens and as tenants multiply?
 * K jobs drained at concurrency 100 with D more queued behind them (the queue stays between D
 * and D + K deep), for a shallow and a deep D; then K jobs spread over few or many tenants.
 */
import { bullData, bullDrain, bullFill, bullQueue } from '../lib/bull';
import { measured, queueName, rateSample, type Ctx } from '../lib/context';
import { drain } from '../lib/lease-worker';
import type { Row, Sample, Section } from '../lib/model';
import { fill, freeTenant } from '../lib/ours';

const CONCURRENCY = 100;
const DEPTH_TENANTS = 10;

/** `waits` collects how long each fill took Redis to settle (see BenchRedis.settle). */
async function ours(ctx: Ctx, queued: number, tenants: number, waits: number[]): Promise<Sample> {
  await ctx.redis.reset();
  const { batchSize, payloadBytes, depthDrain, drainCapMs } = ctx.sizes;
  const queue = queueName('scale');
  await fill(ctx.producer, queue, queued, batchSize, payloadBytes, (i) => ({
    tenantId: freeTenant(i, tenants),
    priority: i % 10,
  }));
  waits.push(await ctx.redis.settle());
  return rateSample(
    await measured(ctx, () => drain(ctx.workers, queue, CONCURRENCY, depthDrain, drainCapMs)),
  );
}

async function bull(ctx: Ctx, queued: number, waits: number[]): Promise<Sample> {
  await ctx.redis.reset();
  const { batchSize, payloadBytes, depthDrain, drainCapMs } = ctx.sizes;
  const name = queueName('scale');
  const queue = bullQueue(ctx.redis, name);
  const data = bullData(payloadBytes);
  try {
    await bullFill(queue, queued, batchSize, (i) => ({ data, priority: i % 10 }));
  } finally {
    await queue.close();
  }
  waits.push(await ctx.redis.settle());
  return rateSample(
    await measured(ctx, () => bullDrain(ctx.redis, name, CONCURRENCY, depthDrain, drainCapMs)),
  );
}

export async function scaleScenario(ctx: Ctx): Promise<Omit<Section, 'seconds'>> {
  const { depths, depthDrain: k, tenants } = ctx.sizes;
  const n = (v: number): string => v.toLocaleString('en-US');
  const rows: Row[] = [];
  const waits: number[] = [];
  for (const [i, depth] of depths.entries()) {
    ctx.log(`scale: ${depth} queued behind ${k}`);
    const o = await ours(ctx, depth + k, DEPTH_TENANTS, waits);
    const b = await bull(ctx, depth + k, waits);
    rows.push({
      id: i === 0 ? 'scale.depth.small' : 'scale.depth.big',
      label: `drain ${n(k)} with ${n(depth)} more queued`,
      unit: 'jobs/s',
      better: 'higher',
      ours: o,
      bull: b,
    });
  }
  for (const [i, count] of tenants.entries()) {
    ctx.log(`scale: ${k} jobs over ${count} tenants`);
    rows.push({
      id: i === 0 ? 'scale.tenants.few' : 'scale.tenants.many',
      label: `drain ${n(k)} spread over ${n(count)} tenants`,
      unit: 'jobs/s',
      better: 'higher',
      ours: await ours(ctx, k, count, waits),
      note: 'BullMQ has no tenants',
    });
  }
  await ctx.redis.reset();
  return {
    id: 'scale',
    title: 'Scale: queue depth and tenant count',
    method:
      `One worker at concurrency ${CONCURRENCY} drains ${n(k)} jobs (lease + no-op + ack) while ` +
      `${n(depths[0])} or ${n(depths[1])} more stay queued (${DEPTH_TENANTS} tenants, ` +
      `priorities 0..9; BullMQ prioritized the same way), so the queue is between D and ` +
      `D + ${n(k)} deep throughout. Then ${n(k)} jobs spread round-robin over ${n(tenants[0])} ` +
      `or ${n(tenants[1])} tenants (ours only: tenants are our concept).`,
    rows,
    notes: [
      `Each drain starts once Redis has finished doubling its keyspace table (the fills cross ` +
        `powers of two in keys; longest wait ${(Math.max(...waits) / 1000).toFixed(1)} s): a queue ` +
        `growing through that size in production pays the rehash once, spread over about as ` +
        `many commands as it has keys.`,
    ],
  };
}
