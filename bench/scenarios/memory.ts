/**
 * Scenario 5, Redis memory per queued job: INFO used_memory before and after queueing N jobs,
 * on an otherwise empty Redis. BullMQ's jobs carry a priority like ours (its prioritized set).
 */
import { bullData, bullFill, bullQueue } from '../lib/bull';
import { queueName, type Ctx } from '../lib/context';
import type { Section } from '../lib/model';
import { fill, freeTenant } from '../lib/ours';
import { readRedis } from '../lib/redis';

const TENANTS = 100;

interface Footprint {
  bytesPerJob: number;
  keysPerJob: number;
}

async function footprint(ctx: Ctx, jobs: number, load: () => Promise<void>): Promise<Footprint> {
  await ctx.redis.reset();
  const before = await readRedis(ctx.redis.admin);
  await load();
  await ctx.redis.settle(); // a table mid-doubling holds both its old and its new buckets
  const after = await readRedis(ctx.redis.admin);
  const keys = await ctx.redis.admin.dbsize();
  return { bytesPerJob: (after.usedMemory - before.usedMemory) / jobs, keysPerJob: keys / jobs };
}

export async function memoryScenario(ctx: Ctx): Promise<Omit<Section, 'seconds'>> {
  const { memoryJobs: n, batchSize, payloadBytes } = ctx.sizes;
  ctx.log(`memory: ${n} jobs each`);
  const ours = await footprint(ctx, n, () =>
    fill(ctx.producer, queueName('mem'), n, batchSize, payloadBytes, (i) => ({
      tenantId: freeTenant(i, TENANTS),
      priority: i % 10,
    })),
  );
  const bull = await footprint(ctx, n, async () => {
    const queue = bullQueue(ctx.redis, queueName('mem'));
    const data = bullData(payloadBytes);
    try {
      await bullFill(queue, n, batchSize, (i) => ({ data, priority: i % 10 }));
    } finally {
      await queue.close();
    }
  });
  await ctx.redis.reset(); // give the memory back before the next scenario
  return {
    id: 'memory',
    title: 'Redis memory per queued job',
    method:
      `INFO memory \`used_memory\` before and after queueing ${n.toLocaleString('en-US')} jobs ` +
      `with ${payloadBytes}-byte payloads (BullMQ: \`{p: "<${payloadBytes} chars>"}\` as data, ` +
      `JSON), ${TENANTS} tenants, priorities 0..9, on an empty Redis with default encodings.`,
    rows: [
      {
        id: 'memory.perjob',
        label: 'used_memory per queued job',
        unit: 'B/job',
        better: 'lower',
        ours: { value: ours.bytesPerJob },
        bull: { value: bull.bytesPerJob },
        note: `includes the ${payloadBytes}-byte payload`,
      },
      {
        id: 'memory.overhead',
        label: 'the same, less the payload',
        unit: 'B/job',
        better: 'lower',
        ours: { value: ours.bytesPerJob - payloadBytes },
        bull: { value: bull.bytesPerJob - payloadBytes },
      },
      {
        id: 'memory.keys',
        label: 'Redis keys per queued job',
        unit: 'keys',
        better: 'none',
        ours: { value: ours.keysPerJob },
        bull: { value: bull.keysPerJob },
      },
    ],
    notes: [],
  };
}
