/**
 * One short untimed drain on each system before the first figure: JIT-compiles the client paths
 * of both, and lets BullMQ load its scripts, so whichever system runs first is not penalised.
 */
import { bullData, bullDrain, bullFill, bullQueue } from './bull';
import { queueName, type Ctx } from './context';
import { drain } from './lease-worker';
import { fill, freeTenant } from './ours';

const JOBS = 3000;

export async function warmUp(ctx: Ctx): Promise<void> {
  const { batchSize, payloadBytes } = ctx.sizes;
  await ctx.redis.reset();
  const queue = queueName('warm');
  await fill(ctx.producer, queue, JOBS, batchSize, payloadBytes, (i) => ({
    tenantId: freeTenant(i, 10),
    priority: i % 10,
  }));
  await drain(ctx.workers, queue, 10, JOBS, 10_000);
  const name = queueName('warm');
  const bull = bullQueue(ctx.redis, name);
  const data = bullData(payloadBytes);
  try {
    await bullFill(bull, JOBS, batchSize, (i) => ({ data, priority: i % 10 }));
  } finally {
    await bull.close();
  }
  await bullDrain(ctx.redis, name, 10, JOBS, 10_000);
  await ctx.redis.reset();
}
