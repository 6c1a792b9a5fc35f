/**
 * The transport half of the ceilings: a bare grpc-js server for our contract
 * (bench/stub/server.ts, a child process like the scheduler) driven by the same client code as
 * the scheduler scenarios, for unary calls, batches and the Lease stream. (Its one-call latency is
 * timed between our samples in the latency scenario.)
 */
import { startStub } from '../lib/child';
import { measured, rateSample, type Ctx } from '../lib/context';
import { CpuMeter } from '../lib/cpu';
import { connect, enqueue, enqueueBatch, ready } from '../lib/grpc';
import { drain } from '../lib/lease-worker';
import type { Row } from '../lib/model';
import { BATCH_LANES, payload } from '../lib/ours';
import { loadLoop } from '../lib/timing';

/** Calls (and stream jobs) of the untimed warm-up. */
const WARM_CALLS = 3000;

const rate = (id: string, label: string): Omit<Row, 'ours'> => ({
  id,
  label,
  unit: 'jobs/s',
  better: 'none',
});

export async function transportRows(ctx: Ctx): Promise<Row[]> {
  const stub = await startStub(ctx.sizes.payloadBytes);
  const client = connect(stub.address);
  const sctx: Ctx = { ...ctx, cpu: new CpuMeter(() => stub.pid, ctx.redis.pid) };
  const { inFlight, loopMs, batchSize } = ctx.sizes;
  const body = payload(ctx.sizes.payloadBytes);
  const unaryReq = { queue: 'stub', tenantId: 't1', payload: body };
  const requests = Array.from({ length: batchSize }, () => unaryReq);
  const rows: Row[] = [];
  try {
    await ready(client);
    // Untimed, like warmUp for the systems under test: a fresh process runs cold code at first.
    await loadLoop(inFlight, loopMs, WARM_CALLS, () => enqueue(client, unaryReq).then(() => 1));
    await loadLoop(BATCH_LANES, loopMs, 8, () => enqueueBatch(client, requests));
    await drain(client, 'stub', 10, WARM_CALLS, ctx.sizes.drainCapMs);
    const unary = await measured(sctx, () =>
      loadLoop(inFlight, loopMs, 10_000_000, async () => {
        await enqueue(client, unaryReq);
        return 1;
      }),
    );
    const unaryLabel = `bare grpc-js unary Enqueue, ${inFlight} in flight`;
    rows.push({ ...rate('ceiling.echo.unary', unaryLabel), ours: rateSample(unary) });
    const batch = await measured(sctx, () =>
      loadLoop(BATCH_LANES, loopMs, 100_000, () => enqueueBatch(client, requests)),
    );
    const batchLabel = `bare grpc-js EnqueueBatch of ${batchSize}`;
    rows.push({ ...rate('ceiling.echo.batch', batchLabel), ours: rateSample(batch) });
    for (const { concurrency, jobs } of ctx.sizes.drain) {
      const stream = await measured(sctx, () =>
        drain(client, 'stub', concurrency, jobs, ctx.sizes.drainCapMs),
      );
      const label = `bare grpc-js Lease stream, concurrency ${concurrency}`;
      rows.push({
        ...rate(`ceiling.echo.stream.c${concurrency}`, label),
        ours: rateSample(stream),
      });
    }
  } finally {
    client.close();
    await stub.stop();
  }
  return rows;
}
