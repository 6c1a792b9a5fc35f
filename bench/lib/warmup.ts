/**
 * Untimed unary enqueues and a drain of 20,000 jobs on each system before the first figure, so
 * every figure is a steady state: a fresh scheduler answered unary calls at half its warm rate,
 * and its CPU per drained job kept falling over the first ~20,000 jobs (JIT, heap sizing)
 * before it levelled off. BullMQ gets the same, and loads its scripts meanwhile.
 */
import { bullData, bullDrain, bullFill, bullQueue } from './bull';
import { queueName, type Ctx } from './context';
import { enqueue } from './grpc';
import { drain } from './lease-worker';
import { fill, freeTenant, payload } from './ours';
import { loadLoop } from './timing';

/** Jobs filled in batches and drained per system, and jobs enqueued one call each before. */
const JOBS = 20_000;
const UNARY = 3000;

export async function warmUp(ctx: Ctx): Promise<void> {
  const { batchSize, payloadBytes, inFlight } = ctx.sizes;
  await ctx.redis.reset();
  const queue = queueName('warm');
  await fill(ctx.producer, queue, JOBS, batchSize, payloadBytes, (i) => ({
    tenantId: freeTenant(i, 10),
    priority: i % 10,
  }));
  const body = payload(payloadBytes);
  await loadLoop(inFlight, 10_000, UNARY, (i) =>
    enqueue(ctx.producer, { queue, tenantId: freeTenant(i, 10), payload: body }).then(() => 1),
  );
  await drain(ctx.workers, queue, 10, JOBS + UNARY, 30_000);
  const name = queueName('warm');
  const bull = bullQueue(ctx.redis, name);
  const data = bullData(payloadBytes);
  try {
    await bullFill(bull, JOBS, batchSize, (i) => ({ data, priority: i % 10 }));
    await loadLoop(inFlight, 10_000, UNARY, () => bull.add('job', data).then(() => 1));
  } finally {
    await bull.close();
  }
  await bullDrain(ctx.redis, name, 10, JOBS + UNARY, 30_000);
  await ctx.redis.reset();
}
