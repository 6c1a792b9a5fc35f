/**
 * Scenario 2, end-to-end throughput: N jobs pre-filled, then the time for one worker to drain
 * them: lease, a no-op handler, ack. Ours through the Lease stream with inline acks and
 * `concurrency` credits; BullMQ's Worker with the same concurrency and prioritized jobs.
 */
import { bullData, bullDrain, bullFill, bullQueue } from '../lib/bull';
import { measured, queueName, rateSample, rounds, type Ctx } from '../lib/context';
import { drain } from '../lib/lease-worker';
import type { Row, Sample, Section } from '../lib/model';
import { natsDrain, natsFill, type BenchNats } from '../lib/nats';
import { fill, freeTenant, payload } from '../lib/ours';
import { sdkDrain } from '../lib/sdk-worker';

const TENANTS = 100;

/** Our drain of `jobs` pre-filled jobs, by the bench's Lease worker or by the SDK's Worker. */
async function ours(ctx: Ctx, concurrency: number, jobs: number, sdk = false): Promise<Sample> {
  await ctx.redis.reset();
  const queue = queueName('e2e');
  const { batchSize, payloadBytes, drainCapMs } = ctx.sizes;
  await fill(ctx.producer, queue, jobs, batchSize, payloadBytes, (i) => ({
    tenantId: freeTenant(i, TENANTS),
    priority: i % 10,
  }));
  await ctx.redis.settle();
  const run = sdk
    ? () => sdkDrain(ctx.scheduler.address, queue, concurrency, jobs, drainCapMs)
    : () => drain(ctx.workers, queue, concurrency, jobs, drainCapMs);
  return rateSample(await measured(ctx, run));
}

async function bull(ctx: Ctx, concurrency: number, jobs: number): Promise<Sample> {
  await ctx.redis.reset();
  const name = queueName('e2e');
  const queue = bullQueue(ctx.redis, name);
  const { batchSize, payloadBytes, drainCapMs } = ctx.sizes;
  const data = bullData(payloadBytes);
  try {
    await bullFill(queue, jobs, batchSize, (i) => ({ data, priority: i % 10 }));
  } finally {
    await queue.close();
  }
  await ctx.redis.settle();
  return rateSample(
    await measured(ctx, () => bullDrain(ctx.redis, name, concurrency, jobs, drainCapMs)),
  );
}

/** The same drain from a NATS JetStream work-queue stream (file storage, pull consumer). */
async function nats(ctx: Ctx, n: BenchNats, concurrency: number, jobs: number): Promise<Sample> {
  await ctx.redis.reset();
  const stream = await n.stream(queueName('e2e'));
  try {
    await natsFill(stream, jobs, payload(ctx.sizes.payloadBytes));
    const run = () => natsDrain(stream, concurrency, jobs, ctx.sizes.drainCapMs, n);
    return rateSample(await measured(ctx, run, n.pid));
  } finally {
    await stream.remove();
  }
}

export async function e2eScenario(ctx: Ctx): Promise<Omit<Section, 'seconds'>> {
  const rows: Row[] = [];
  for (const { concurrency, jobs } of ctx.sizes.drain) {
    ctx.log(`e2e: concurrency ${concurrency}, ${jobs} jobs`);
    const pair = await rounds(
      ctx,
      () => ours(ctx, concurrency, jobs),
      () => bull(ctx, concurrency, jobs),
      (n) => nats(ctx, n, concurrency, jobs),
    );
    rows.push({
      id: `e2e.c${concurrency}`,
      label: `concurrency ${concurrency}, ${jobs.toLocaleString('en-US')} jobs`,
      unit: 'jobs/s',
      better: 'higher',
      ...pair,
    });
  }
  for (const { concurrency, jobs } of ctx.sizes.drain) {
    ctx.log(`e2e: the SDK Worker at concurrency ${concurrency}`);
    rows.push({
      id: `e2e.sdk.c${concurrency}`,
      label: `concurrency ${concurrency}, the TypeScript SDK's Worker`,
      unit: 'jobs/s',
      better: 'higher',
      ours: await ours(ctx, concurrency, jobs, true),
      note: 'one run; BullMQ as in the row above',
    });
  }
  return {
    id: 'e2e',
    title: 'End-to-end throughput (enqueue -> lease -> ack)',
    method:
      'N jobs pre-filled (EnqueueBatch / addBulk, not timed; priorities 0..9, ' +
      `${TENANTS} tenants, ${ctx.sizes.payloadBytes}-byte payloads), then one worker drains ` +
      'them with a no-op handler and the clock stops when the last ack is applied. Ours: one ' +
      'Lease stream with `concurrency` credits; acks of the jobs handled in one event-loop turn ' +
      'go back inline in one message that grants the credits again. The SDK rows drain the ' +
      "same way through the TypeScript SDK's Worker (src/clients), as users run it. " +
      'BullMQ: one Worker with ' +
      '`concurrency`, jobs added with a priority (1..10). NATS JetStream: a work-queue stream ' +
      'with file storage, a durable pull consumer with explicit acks, `max_messages` = ' +
      'concurrency (no priorities: NATS has none). A drain that hits its time cap is ' +
      'reported as a partial rate.',
    rows,
    notes: [],
  };
}
