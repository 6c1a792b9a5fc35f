/**
 * Scenario 4, priority isolation. Premium jobs arrive at a steady rate (a) on an empty queue and
 * (b) behind a flood of free jobs that a busy worker is draining; we compare premium waits
 * (enqueue -> handler). Then (c) with both tiers saturated, the share of leases free work gets:
 * our policy promises 100/(1000+100) = 9.1 %; BullMQ with priorities gives free work nothing
 * until premium runs dry.
 */
import { bullData, bullFill, bullQueue, startBullWorker } from '../lib/bull';
import { PREMIUM_TENANTS } from '../lib/child';
import { queueName, type Ctx } from '../lib/context';
import { formatValue } from '../lib/format';
import { LeaseWorker } from '../lib/lease-worker';
import type { Row, Section } from '../lib/model';
import { fill, freeTenant } from '../lib/ours';
import type { Spread } from '../lib/timing';
import { bullWaits, CONCURRENCY, FREE_TENANTS, oursWaits, type Waits } from './priority-waits';

/** Both tiers backlogged: the percentage of the first `leases` leases that went to free jobs. */
async function oursShare(ctx: Ctx): Promise<number> {
  await ctx.redis.reset();
  const { batchSize, payloadBytes, shareLeases, drainCapMs } = ctx.sizes;
  const queue = queueName('share');
  await fill(ctx.producer, queue, 2 * shareLeases, batchSize, payloadBytes, (i) => ({
    tenantId: i % 2 ? freeTenant(i, FREE_TENANTS) : PREMIUM_TENANTS[i % PREMIUM_TENANTS.length]!,
    priority: 0,
  }));
  let free = 0;
  let seen = 0;
  const worker = new LeaseWorker(ctx.workers, {
    queue,
    concurrency: CONCURRENCY,
    onJob: ({ job }) => {
      if (++seen <= shareLeases && job?.tier !== 'premium') free += 1;
    },
  });
  try {
    await worker.waitFor(shareLeases, drainCapMs);
  } finally {
    worker.cancel();
  }
  return (100 * free) / shareLeases;
}

async function bullShare(ctx: Ctx): Promise<number> {
  await ctx.redis.reset();
  const { batchSize, payloadBytes, shareLeases, drainCapMs } = ctx.sizes;
  const name = queueName('share');
  const queue = bullQueue(ctx.redis, name);
  const premium = bullData(payloadBytes, 'premium');
  const freeData = bullData(payloadBytes);
  await bullFill(queue, 2 * shareLeases, batchSize, (i) =>
    i % 2 ? { data: freeData, priority: 0 } : { data: premium, priority: 9 },
  );
  let free = 0;
  let seen = 0;
  const worker = await startBullWorker(ctx.redis, name, CONCURRENCY, (job) => {
    if (++seen <= shareLeases && job.data.k !== 'premium') free += 1;
  });
  try {
    worker.run();
    await worker.waitFor(shareLeases, drainCapMs);
  } finally {
    await worker.close();
    await queue.close();
  }
  return (100 * free) / shareLeases;
}

type Pair = { ours: Waits; bull: Waits };

/** A wait row: `of` picks the spread (total wait or after the call), `key` the percentile. */
function waitRow(
  id: string,
  label: string,
  pair: Pair,
  of: 'wait' | 'afterCall',
  key: 'p50' | 'p99',
): Row {
  return {
    id,
    label,
    unit: 'ms',
    better: 'lower',
    ours: { value: pair.ours[of][key] },
    bull: { value: pair.bull[of][key] },
  };
}

function callNote(empty: Pair, flood: Pair): string {
  const ms = (s: Spread): string => `${formatValue(s.p50, 'ms')}/${formatValue(s.p99, 'ms')}`;
  return (
    `The enqueue call alone (p50/p99, ms): ${ms(empty.ours.call)} ours and ` +
    `${ms(empty.bull.call)} BullMQ on the empty queue; ${ms(flood.ours.call)} and ` +
    `${ms(flood.bull.call)} behind the flood. "After the call" rows count from the moment the ` +
    'call returned: the part of the wait the scheduler itself adds.'
  );
}

export async function priorityScenario(ctx: Ctx): Promise<Omit<Section, 'seconds'>> {
  const { floodJobs, premiumPerSecond, premiumMs, shareLeases } = ctx.sizes;
  ctx.log('priority: premium arrivals on an empty queue');
  const empty = { ours: await oursWaits(ctx, 0), bull: await bullWaits(ctx, 0) };
  ctx.log(`priority: premium arrivals behind ${floodJobs} free jobs`);
  const flood = { ours: await oursWaits(ctx, floodJobs), bull: await bullWaits(ctx, floodJobs) };
  ctx.log('priority: free share under premium saturation');
  const share = { ours: await oursShare(ctx), bull: await bullShare(ctx) };
  const n = (v: number): string => Math.round(v).toLocaleString('en-US');
  return {
    id: 'priority',
    title: 'Priority isolation',
    method:
      `Premium jobs arrive at ${premiumPerSecond}/s for ${premiumMs / 1000} s while one worker ` +
      `(concurrency ${CONCURRENCY}) runs: first on an empty queue, then behind ` +
      `${n(floodJobs)} queued free jobs (${FREE_TENANTS} tenants) that the worker is draining. ` +
      'Wait = enqueue call -> handler. Then both tiers get ' +
      `${n(shareLeases)} queued jobs and we count the free share of the first ${n(shareLeases)} ` +
      'leases. Ours: tiers by weight (premium=1000, free=100), all priority 0. BullMQ: ' +
      'premium priority 1, free priority 10.',
    rows: [
      waitRow('priority.empty.p50', 'premium wait, empty queue, p50', empty, 'wait', 'p50'),
      waitRow('priority.empty.p99', 'premium wait, empty queue, p99', empty, 'wait', 'p99'),
      waitRow('priority.flood.p50', 'premium wait behind the flood, p50', flood, 'wait', 'p50'),
      waitRow('priority.flood.p99', 'premium wait behind the flood, p99', flood, 'wait', 'p99'),
      waitRow(
        'priority.empty.after.p99',
        'after the call, empty queue, p99',
        empty,
        'afterCall',
        'p99',
      ),
      waitRow(
        'priority.flood.after.p99',
        'after the call, behind the flood, p99',
        flood,
        'afterCall',
        'p99',
      ),
      {
        id: 'priority.share',
        label: 'free share of leases, both tiers saturated',
        unit: '%',
        better: 'none',
        ours: { value: share.ours },
        bull: { value: share.bull },
        note: 'policy: 9.1 %; 0 % means free work starves',
      },
    ],
    notes: [
      `While premium jobs arrived behind the flood, the worker handled free jobs at ` +
        `${n(flood.ours.freeRate)}/s (ours) and ${n(flood.bull.freeRate)}/s (BullMQ).`,
      `Premium samples: ${flood.ours.wait.n} (ours), ${flood.bull.wait.n} (BullMQ) ` +
        `behind the flood; ${empty.ours.wait.n} and ${empty.bull.wait.n} on the empty queue.`,
      callNote(empty, flood),
    ],
  };
}
