/**
 * Untimed unary enqueues and one short drain on each system before the first figure: JIT-compiles
 * the server's and the clients' paths (a cold scheduler answers unary calls at half its warm
 * rate), and lets BullMQ load its scripts, so whichever system runs first is not penalised.
 */
import { bullData, bullDrain, bullFill, bullQueue } from './bull';
import { queueName, type Ctx } from './context';
import { enqueue } from './grpc';
import { drain } from './lease-worker';
import { fill, freeTenant, payload } from './ours';
import { loadLoop } from './timing';

const JOBS = 3000;

export async function warmUp(ctx: Ctx): Promise<void> {
  const { batchSize, payloadBytes, inFlight } = ctx.sizes;
  await ctx.redis.reset();
  const queue = queueName('warm');
  await fill(ctx.producer, queue, JOBS, batchSize, payloadBytes, (i) => ({
    tenantId: freeTenant(i, 10),
    priority: i % 10,
  }));
  const body = payload(payloadBytes);
  await loadLoop(inFlight, 10_000, JOBS, (i) =>
    enqueue(ctx.producer, { queue, tenantId: freeTenant(i, 10), payload: body }).then(() => 1),
  );
  await drain(ctx.workers, queue, 10, 2 * JOBS, 10_000);
  const name = queueName('warm');
  const bull = bullQueue(ctx.redis, name);
  const data = bullData(payloadBytes);
  try {
    await bullFill(bull, JOBS, batchSize, (i) => ({ data, priority: i % 10 }));
    await loadLoop(inFlight, 10_000, JOBS, () => bull.add('job', data).then(() => 1));
  } finally {
    await bull.close();
  }
  await bullDrain(ctx.redis, name, 10, 2 * JOBS, 10_000);
  await ctx.redis.reset();
}
