/**
 * Premium arrivals for the priority scenario: premium jobs sent at a steady rate while one
 * worker runs, on an empty queue or behind a flood of free jobs it is draining. Each premium
 * job carries its send time; the worker records when it arrived.
 */
import { bullData, bullFill, bullPriority, bullQueue, startBullWorker } from '../lib/bull';
import { PREMIUM_TENANTS } from '../lib/child';
import { queueName, type Ctx } from '../lib/context';
import { enqueue } from '../lib/grpc';
import { LeaseWorker } from '../lib/lease-worker';
import { fill, freeTenant, payload, sentAt } from '../lib/ours';
import { now, sleep, spread, type Spread } from '../lib/timing';

export const CONCURRENCY = 50;
export const FREE_TENANTS = 100;

/** What one premium-arrival run saw. */
export interface Waits {
  /** Send -> handler. */
  wait: Spread;
  /** Enqueue call returned -> handler (0 when the job arrived first): the scheduler's part. */
  afterCall: Spread;
  /** The enqueue call alone. */
  call: Spread;
  /** Free jobs handled per second while premium jobs arrived. */
  freeRate: number;
}

class Recorder {
  free = 0;
  private readonly arrived: Array<[number, number]> = [];
  private readonly returned = new Map<number, number>();
  private readonly start = now();
  private free0 = 0;

  premium(sent: number, at: number): void {
    this.arrived.push([sent, at]);
  }

  callReturned(sent: number): void {
    this.returned.set(sent, now());
  }

  /** Premium arrivals from here on are what counts; so is the free rate. */
  begin(): void {
    this.free0 = this.free;
  }

  get premiumCount(): number {
    return this.arrived.length;
  }

  result(): Waits {
    const back = (sent: number, at: number): number => this.returned.get(sent) ?? at;
    return {
      wait: spread(this.arrived.map(([sent, at]) => at - sent)),
      afterCall: spread(this.arrived.map(([sent, at]) => Math.max(0, at - back(sent, at)))),
      call: spread([...this.returned].map(([sent, back]) => back - sent)),
      freeRate: ((this.free - this.free0) * 1000) / (now() - this.start),
    };
  }
}

/** Fires `perSecond * ms / 1000` sends at a steady pace; returns how many it sent. */
async function steady(
  perSecond: number,
  ms: number,
  send: (k: number, t: number) => Promise<unknown>,
): Promise<number> {
  const count = Math.floor((perSecond * ms) / 1000);
  const start = now();
  const pending: Array<Promise<unknown>> = [];
  let failure: unknown;
  for (let k = 0; k < count && failure === undefined; k++) {
    const wait = start + (k * 1000) / perSecond - now();
    if (wait > 0) await sleep(wait);
    // Caught at once: a rejection must not go unhandled while the loop sleeps.
    pending.push(send(k, now()).catch((err: unknown) => (failure ??= err)));
  }
  await Promise.all(pending);
  if (failure instanceof Error) throw failure;
  if (failure !== undefined) throw new Error(`premium send failed: ${JSON.stringify(failure)}`);
  return count;
}

/** Sends the premium jobs, then waits (bounded) for the last of them to arrive. */
async function arrivals(
  ctx: Ctx,
  rec: Recorder,
  send: (k: number, t: number) => Promise<unknown>,
): Promise<Waits> {
  await sleep(300); // let the drain (or the idle wait) reach its steady state
  rec.begin();
  const { premiumPerSecond, premiumMs } = ctx.sizes;
  const sent = await steady(premiumPerSecond, premiumMs, async (k, t) => {
    await send(k, t);
    rec.callReturned(t);
  });
  const deadline = now() + 10_000;
  while (rec.premiumCount < sent && now() < deadline) await sleep(20);
  return rec.result();
}

export async function oursWaits(ctx: Ctx, flood: number): Promise<Waits> {
  await ctx.redis.reset();
  const { batchSize, payloadBytes } = ctx.sizes;
  const queue = queueName('prio');
  await fill(ctx.producer, queue, flood, batchSize, payloadBytes, (i) => ({
    tenantId: freeTenant(i, FREE_TENANTS),
    priority: 0,
  }));
  await ctx.redis.settle();
  const rec = new Recorder();
  const worker = new LeaseWorker(ctx.workers, {
    queue,
    concurrency: CONCURRENCY,
    onJob: ({ job }, at) => {
      if (job?.tier === 'premium') rec.premium(sentAt(job.payload), at);
      else rec.free += 1;
    },
  });
  try {
    return await arrivals(ctx, rec, (k, t) =>
      enqueue(ctx.producer, {
        queue,
        tenantId: PREMIUM_TENANTS[k % PREMIUM_TENANTS.length]!,
        payload: payload(payloadBytes, t),
      }),
    );
  } finally {
    worker.cancel();
  }
}

export async function bullWaits(ctx: Ctx, flood: number): Promise<Waits> {
  await ctx.redis.reset();
  const { batchSize, payloadBytes } = ctx.sizes;
  const name = queueName('prio');
  const queue = bullQueue(ctx.redis, name);
  const freeData = bullData(payloadBytes);
  await bullFill(queue, flood, batchSize, () => ({ data: freeData, priority: 0 }));
  await ctx.redis.settle();
  const rec = new Recorder();
  const worker = await startBullWorker(ctx.redis, name, CONCURRENCY, (job, at) => {
    if (job.data.k === 'premium') rec.premium(job.data.t, at);
    else rec.free += 1;
  });
  try {
    worker.run();
    return await arrivals(ctx, rec, (_k, t) =>
      queue.add('job', bullData(payloadBytes, 'premium', t), { priority: bullPriority(9) }),
    );
  } finally {
    await worker.close();
    await queue.close();
  }
}
