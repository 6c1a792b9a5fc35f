/**
 * Scenario 3, delivery latency: an idle worker, jobs enqueued one at a time, and the time from
 * just before the enqueue call to the moment the handler sees the job (same process, same clock).
 */
import { bullData, bullPriority, bullQueue, startBullWorker } from '../lib/bull';
import { queueName, type Ctx } from '../lib/context';
import { startStub } from '../lib/child';
import { connect, enqueue, ready } from '../lib/grpc';
import { LeaseWorker } from '../lib/lease-worker';
import type { Row, Section } from '../lib/model';
import type { BenchNats } from '../lib/nats';
import { payload } from '../lib/ours';
import { now, sampleGap, sleep, spread, within, type Spread } from '../lib/timing';

const WORKER_CONCURRENCY = 10;
const DELIVERY_TIMEOUT_MS = 5000;
/** Untimed calls to the bare server first: a fresh process runs cold code at first. */
const BARE_WARM_CALLS = 200;

/**
 * Sends `samples` jobs one by one: `send` enqueues one, `next` resolves when one arrives.
 * `before`, if given, runs before each sample, followed by a gap of its own.
 */
async function sampleLoop(
  samples: number,
  send: () => Promise<unknown>,
  next: () => Promise<number>,
  before?: () => Promise<void>,
): Promise<Latency> {
  const delivery: number[] = [];
  const call: number[] = [];
  const after: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (before) {
      await before();
      await sampleGap();
    }
    const arrival = next();
    const t = now();
    await send();
    const returned = now();
    call.push(returned - t);
    const at = await within(DELIVERY_TIMEOUT_MS, arrival, 'delivery');
    delivery.push(at - t);
    after.push(Math.max(0, at - returned));
    await sampleGap();
  }
  return { delivery: spread(delivery), call: spread(call), after: spread(after) };
}

/** Enqueue call -> handler, the call alone, and the call's return -> handler. */
interface Latency {
  delivery: Spread;
  call: Spread;
  after: Spread;
}

/**
 * Our latency, and a bare grpc-js unary call (bench/stub/server.ts: answers at once) made before
 * each of our samples with the same gaps: the transport's part of our enqueue call, measured in
 * the same minutes, since an idle call's time moves between minutes by more than the server adds.
 */
interface OurLatency extends Latency {
  bare: Spread;
}

/** A one-slot mailbox: `next()` resolves with the arrival time of the next job. */
function mailbox(): { next: () => Promise<number>; put: (at: number) => void } {
  let resolve: ((at: number) => void) | undefined;
  return {
    next: () => new Promise<number>((r) => (resolve = r)),
    put: (at) => resolve?.(at),
  };
}

async function ours(ctx: Ctx): Promise<OurLatency> {
  await ctx.redis.reset();
  const queue = queueName('lat');
  const box = mailbox();
  const stub = await startStub(ctx.sizes.payloadBytes);
  const bareClient = connect(stub.address);
  const worker = new LeaseWorker(ctx.workers, {
    queue,
    concurrency: WORKER_CONCURRENCY,
    onJob: (_job, at) => box.put(at),
  });
  try {
    const body = payload(ctx.sizes.payloadBytes);
    const bareReq = { queue: 'stub', tenantId: 't1', payload: body };
    await ready(bareClient);
    for (let i = 0; i < BARE_WARM_CALLS; i++) await enqueue(bareClient, bareReq);
    await sleep(200); // the stream is open and idle before the first sample
    const bare: number[] = [];
    const latency = await sampleLoop(
      ctx.sizes.latencySamples,
      () =>
        enqueue(ctx.producer, {
          queue,
          tenantId: 't1',
          payload: body,
        }),
      box.next,
      async () => {
        const t = now();
        await enqueue(bareClient, bareReq);
        bare.push(now() - t);
      },
    );
    return { ...latency, bare: spread(bare) };
  } finally {
    worker.cancel();
    bareClient.close();
    await stub.stop();
  }
}

async function bull(ctx: Ctx): Promise<Latency> {
  await ctx.redis.reset();
  const name = queueName('lat');
  const queue = bullQueue(ctx.redis, name);
  const box = mailbox();
  const worker = await startBullWorker(ctx.redis, name, WORKER_CONCURRENCY, (_job, at) =>
    box.put(at),
  );
  try {
    const data = bullData(ctx.sizes.payloadBytes);
    worker.run();
    await sleep(200);
    return await sampleLoop(
      ctx.sizes.latencySamples,
      () =>
        queue.add('job', data, {
          priority: bullPriority(0),
        }),
      box.next,
    );
  } finally {
    await worker.close();
    await queue.close();
  }
}

/** An idle pull consumer on a NATS JetStream work-queue stream; publishes one at a time. */
async function nats(ctx: Ctx, n: BenchNats): Promise<Latency> {
  await ctx.redis.reset();
  const stream = await n.stream(queueName('lat'));
  const box = mailbox();
  const consumer = await stream.consume(WORKER_CONCURRENCY, (at) => box.put(at));
  try {
    const body = payload(ctx.sizes.payloadBytes);
    await sleep(200);
    return await sampleLoop(ctx.sizes.latencySamples, () => stream.publish(body), box.next);
  } finally {
    consumer.stop();
    await stream.remove();
  }
}

/** A bare grpc-js unary call timed between our samples (ours only: it is the transport). */
function bareRow(p: 'p50' | 'p99', value: number): Row {
  return {
    id: `latency.bare.${p}`,
    label: `a bare grpc-js unary call between our samples, ${p}`,
    unit: 'ms',
    better: 'none',
    ours: { value },
  };
}

export async function latencyScenario(ctx: Ctx): Promise<Omit<Section, 'seconds'>> {
  ctx.log(`latency: ${ctx.sizes.latencySamples} samples each`);
  const o = await ours(ctx);
  const b = await bull(ctx);
  const n = ctx.nats && (await nats(ctx, ctx.nats));
  const row = (id: string, label: string, key: keyof Spread, of: keyof Latency) => ({
    id,
    label,
    unit: 'ms',
    better: 'lower' as const,
    ours: { value: o[of][key] },
    bull: { value: b[of][key] },
    ...(n && { nats: { value: n[of][key] } }),
  });
  return {
    id: 'latency',
    title: 'Delivery latency',
    method:
      `An idle worker (concurrency ${WORKER_CONCURRENCY}) and ${ctx.sizes.latencySamples} jobs ` +
      'enqueued one at a time, each after the previous one arrived plus a random 1-4 ms gap. ' +
      'Latency is from just before the enqueue call to the handler seeing the job, on one clock ' +
      '(producer and worker live in the bench process, on separate connections). Ours: unary ' +
      'Enqueue, delivery on the Lease stream. BullMQ: `queue.add` with a priority, Worker. ' +
      'NATS JetStream: `js.publish` (acked by the stream), an idle pull consumer with ' +
      '`max_messages` = the concurrency. Before each of our samples, after a gap of its own, one ' +
      'unary call to a bare grpc-js server that answers at once (bench/stub/server.ts): the ' +
      "transport's part of our enqueue call, timed in the same minutes.",
    rows: [
      row('latency.p50', 'enqueue -> handler, p50', 'p50', 'delivery'),
      row('latency.p99', 'enqueue -> handler, p99', 'p99', 'delivery'),
      row('latency.max', 'enqueue -> handler, max', 'max', 'delivery'),
      row('latency.call.p50', 'the enqueue call alone, p50', 'p50', 'call'),
      row('latency.call.p99', 'the enqueue call alone, p99', 'p99', 'call'),
      row('latency.after.p50', 'the call returned -> handler, p50', 'p50', 'after'),
      row('latency.after.p99', 'the call returned -> handler, p99', 'p99', 'after'),
      bareRow('p50', o.bare.p50),
      bareRow('p99', o.bare.p99),
    ],
    notes: [],
  };
}
