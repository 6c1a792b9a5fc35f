/**
 * Scenario 1, enqueue throughput: unary Enqueue with 100 calls in flight against BullMQ
 * `queue.add` with 100 in flight; then EnqueueBatch of 1,000 against `addBulk` of 1,000, with
 * the same few calls in flight on both sides. Each measurement starts on an empty Redis.
 */
import { bullData, bullPriority, bullQueue } from '../lib/bull';
import { measured, medianSample, queueName, rateSample, rounds, type Ctx } from '../lib/context';
import { enqueue, enqueueBatch } from '../lib/grpc';
import type { Section, Sample } from '../lib/model';
import { BATCH_LANES, freeTenant, payload } from '../lib/ours';
import type { BenchNats } from '../lib/nats';
import { loadLoop } from '../lib/timing';
import { SchedulerClient } from '../../src/clients';

const TENANTS = 100;

/** `inFlight` one-job enqueues at a time through `send`, for the loop's length. */
async function oneByOne(
  ctx: Ctx,
  prefix: string,
  send: (job: {
    queue: string;
    tenantId: string;
    priority: number;
    payload: Buffer;
  }) => Promise<unknown>,
): Promise<Sample> {
  await ctx.redis.reset();
  const queue = queueName(prefix);
  const body = payload(ctx.sizes.payloadBytes);
  const { inFlight, loopMs } = ctx.sizes;
  const m = await measured(ctx, () =>
    loadLoop(inFlight, loopMs, 10_000_000, async (i) => {
      await send({ queue, tenantId: freeTenant(i, TENANTS), priority: i % 10, payload: body });
      return 1;
    }),
  );
  return rateSample(m);
}

const oursUnary = (ctx: Ctx): Promise<Sample> =>
  oneByOne(ctx, 'enq', (req) => enqueue(ctx.producer, req));

/** The SDK's `enqueue()` with as many calls in flight: one event-loop turn's calls share a batch. */
async function oursSdk(ctx: Ctx): Promise<Sample> {
  const client = new SchedulerClient({ address: ctx.scheduler.address });
  try {
    await client.getQueueStats('warm'); // connected before the clock starts
    return await oneByOne(ctx, 'enqs', (job) => client.enqueue(job));
  } finally {
    client.close();
  }
}

/** NATS JetStream publishes (each acked by the stream) with as many in flight. */
async function natsPublish(ctx: Ctx, n: BenchNats): Promise<Sample> {
  await ctx.redis.reset();
  const stream = await n.stream(queueName('enq'));
  const body = payload(ctx.sizes.payloadBytes);
  const { inFlight, loopMs } = ctx.sizes;
  try {
    const m = await measured(
      ctx,
      () =>
        loadLoop(inFlight, loopMs, 10_000_000, async () => {
          await stream.publish(body);
          return 1;
        }),
      n.pid,
    );
    return rateSample(m);
  } finally {
    await stream.remove();
  }
}

async function bullAdd(ctx: Ctx): Promise<Sample> {
  await ctx.redis.reset();
  const queue = bullQueue(ctx.redis, queueName('enq'));
  await queue.waitUntilReady();
  const data = bullData(ctx.sizes.payloadBytes);
  const { inFlight, loopMs } = ctx.sizes;
  try {
    const m = await measured(ctx, () =>
      loadLoop(inFlight, loopMs, 10_000_000, async (i) => {
        await queue.add('job', data, { priority: bullPriority(i % 10) });
        return 1;
      }),
    );
    return rateSample(m);
  } finally {
    await queue.close();
  }
}

async function oursBatch(ctx: Ctx): Promise<Sample> {
  await ctx.redis.reset();
  const queue = queueName('enqb');
  const body = payload(ctx.sizes.payloadBytes);
  const { batchSize, loopMs } = ctx.sizes;
  const m = await measured(ctx, () =>
    loadLoop(BATCH_LANES, loopMs, 100_000, (b) => {
      const requests = Array.from({ length: batchSize }, (_, k) => ({
        queue,
        tenantId: freeTenant(b * batchSize + k, TENANTS),
        priority: k % 10,
        payload: body,
      }));
      return enqueueBatch(ctx.producer, requests);
    }),
  );
  return rateSample(m);
}

async function bullBulk(ctx: Ctx): Promise<Sample> {
  await ctx.redis.reset();
  const queue = bullQueue(ctx.redis, queueName('enqb'));
  await queue.waitUntilReady();
  const data = bullData(ctx.sizes.payloadBytes);
  const { batchSize, loopMs } = ctx.sizes;
  try {
    const m = await measured(ctx, () =>
      loadLoop(BATCH_LANES, loopMs, 100_000, async () => {
        const jobs = Array.from({ length: batchSize }, (_, k) => ({
          name: 'job',
          data,
          opts: { priority: bullPriority(k % 10) },
        }));
        return (await queue.addBulk(jobs)).length;
      }),
    );
    return rateSample(m);
  } finally {
    await queue.close();
  }
}

export async function enqueueScenario(ctx: Ctx): Promise<Omit<Section, 'seconds'>> {
  const { inFlight, batchSize, payloadBytes, loopMs } = ctx.sizes;
  ctx.log(`enqueue: unary, ${inFlight} in flight`);
  const unary = await rounds(
    ctx,
    () => oursUnary(ctx),
    () => bullAdd(ctx),
    (n) => natsPublish(ctx, n),
  );
  ctx.log(`enqueue: the SDK's enqueue(), ${inFlight} in flight`);
  const sdkRounds: Sample[] = [];
  for (let r = 0; r < ctx.sizes.rounds; r++) sdkRounds.push(await oursSdk(ctx));
  ctx.log(`enqueue: batches of ${batchSize}`);
  const batch = await rounds(
    ctx,
    () => oursBatch(ctx),
    () => bullBulk(ctx),
  );
  return {
    id: 'enqueue',
    title: 'Enqueue throughput',
    method:
      `Unary \`Enqueue\` with ${inFlight} calls in flight vs BullMQ \`queue.add\` with ${inFlight} ` +
      `promises in flight; \`EnqueueBatch\` of ${batchSize} vs \`addBulk\` of ${batchSize}, ` +
      `${BATCH_LANES} calls in flight on both sides. NATS JetStream: \`js.publish\` to a ` +
      `work-queue stream with file storage, ${inFlight} in flight (no priorities, no tenants). ` +
      `${payloadBytes}-byte payloads, priorities ` +
      `0..9 (BullMQ 1..10), ${TENANTS} tenants, ${loopMs / 1000} s per measurement, empty Redis.`,
    rows: [
      {
        id: 'enqueue.unary',
        label: `unary, ${inFlight} in flight`,
        unit: 'jobs/s',
        better: 'higher',
        ...unary,
      },
      {
        id: 'enqueue.sdk',
        label: `the SDK's enqueue(), ${inFlight} in flight`,
        unit: 'jobs/s',
        better: 'higher',
        ours: medianSample(sdkRounds),
        bull: { value: unary.bull.value },
        ...(unary.nats && { nats: { value: unary.nats.value } }),
        note: 'batched per event-loop turn; BullMQ and NATS as in the row above',
      },
      {
        id: 'enqueue.batch',
        label: `batch of ${batchSize}`,
        unit: 'jobs/s',
        better: 'higher',
        ...batch,
      },
    ],
    notes: [],
  };
}
