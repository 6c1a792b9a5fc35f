/**
 * Bad input at every RPC of a server in a child process: random bytes as the serialized request
 * (a raw grpc-js client with a passthrough serializer), valid messages full of hostile values
 * (unicode, control bytes, huge and negative numbers, malformed lease and job ids, unknown
 * queues), the same messages damaged at the byte level, and batches at and over the limits.
 * Promised: no crash, never UNKNOWN, never our INTERNAL ("internal error (request id ...)": a
 * bug), and memory flat. FUZZ_COUNT sets the number of messages (20,000 here; 100,000 for the
 * full run), FUZZ_SEED replays a run.
 */
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { after, before, describe, it } from 'node:test';
import type { EnqueueBatchResponse__Output } from '../../src/generated/scheduler/v1/EnqueueBatchResponse';
import { loadSchedulerPackage } from '../../src/server/proto';
import { startRedis, uniqueName, type TestRedis } from '../helpers/redis';
import { TestWorker, connect, unary, type Client } from '../helpers/server';
import { random } from '../scheduler/workload';
import { Gen, encode } from './fuzz-gen';
import { Health } from './health';
import { spawnServer, type ServerProc } from './procs';
import { sleep } from './rpc';

const COUNT = Number(process.env.FUZZ_COUNT ?? 20_000);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = 16;
const MIB = 1024 * 1024;

type Def = MethodDefinition<object, object>;
const SERVICE = loadSchedulerPackage()['scheduler.v1.SchedulerService'] as unknown as Record<
  string,
  Def
>;
const passthrough = (b: Buffer): Buffer => b;

interface Tally {
  codes: Map<string, number>;
  ourInternal: string[];
}

describe(`fuzzing every RPC (${COUNT} messages, seed ${SEED})`, () => {
  let redis: TestRedis;
  let server: ServerProc;
  let raw: grpc.Client;
  let client: Client;
  const gen = new Gen(random(SEED));
  const tally: Tally = { codes: new Map(), ourInternal: [] };
  const serverErrors: string[] = [];

  before(async () => {
    redis = await startRedis({ own: true });
    server = await spawnServer({
      env: { REDIS_URL: redis.url },
      // The server logs what it hides from callers: keep the first internal errors for the report.
      onLog: (line) => {
        if (line.includes('"internal error"') && serverErrors.length < 5) serverErrors.push(line);
      },
    });
    raw = new grpc.Client(server.address, grpc.credentials.createInsecure());
    client = connect(server.address);
    await seed(client, gen);
  });

  after(async () => {
    raw?.close();
    client?.close();
    await server?.kill('SIGTERM');
    await redis?.stop();
  });

  it(
    'never crashes, never answers UNKNOWN or INTERNAL, and keeps its memory flat',
    { timeout: 600_000 },
    async () => {
      const rss: number[] = [];
      const started = Date.now();
      let next = 0;
      const warmup = Math.floor(COUNT / 10);
      const lane = async (): Promise<void> => {
        while (next < COUNT) {
          const i = next++;
          if (i % warmup === 0) rss.push(server.rss());
          await sendOne(raw, gen, tally);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, lane));
      await sleep(1000);
      rss.push(server.rss());
      const seconds = (Date.now() - started) / 1000;
      const mb = (n: number): number => Math.round(n / MIB);
      console.log(
        `fuzz: ${COUNT} messages in ${seconds.toFixed(1)} s, seed ${SEED}; codes ` +
          JSON.stringify(Object.fromEntries([...tally.codes].sort())) +
          `; server RSS MiB by tenth: ${rss.map(mb).join(' ')}`,
      );
      assert.equal(tally.codes.get('UNKNOWN') ?? 0, 0, 'no UNKNOWN status');
      assert.deepEqual(
        tally.ourInternal.slice(0, 5),
        [],
        `no internal errors from our handlers (${tally.ourInternal.length}); the server logged:\n${serverErrors.join('\n')}`,
      );
      assert.equal(server.child.exitCode, null, 'the server is alive');
      const health = new Health(server.address);
      assert.equal(await health.status(), 'SERVING');
      health.close();
      // After the warm-up fifth, growth is bounded: caches fill and every handler is compiled,
      // then memory stays. (The fuzzer now reaches three times the RPCs it did; their first fifth
      // is warm-up.)
      const [warm] = rss.slice(2);
      const last = rss.at(-1)!;
      assert.ok(last - warm! < 96 * MIB, `RSS grew from ${mb(warm!)} to ${mb(last)} MiB`);
    },
  );

  it(
    'answers batches and payloads at and over the limits with the right codes',
    { timeout: 120_000 },
    async () => {
      const queue = uniqueName('limits');
      const item = { queue, tenantId: 't', payload: Buffer.from('x') };
      const atLimit = await unary<EnqueueBatchResponse__Output>((cb) =>
        client.enqueueBatch({ requests: Array.from({ length: 10_000 }, () => item) }, cb),
      );
      assert.equal(atLimit.results.filter((r) => r.job).length, 10_000);
      const codeOf = async (
        start: (cb: grpc.requestCallback<unknown>) => unknown,
      ): Promise<string> => {
        try {
          await unary(start);
          return 'OK';
        } catch (err) {
          return grpc.status[(err as grpc.ServiceError).code] ?? 'UNKNOWN';
        }
      };
      const over = await codeOf((cb) =>
        client.enqueueBatch({ requests: Array.from({ length: 10_001 }, () => item) }, cb),
      );
      assert.equal(over, 'INVALID_ARGUMENT');
      assert.equal(
        await codeOf((cb) => client.enqueue({ ...item, payload: Buffer.alloc(MIB) }, cb)),
        'OK',
      );
      assert.equal(
        await codeOf((cb) => client.enqueue({ ...item, payload: Buffer.alloc(MIB + 1) }, cb)),
        'INVALID_ARGUMENT',
      );
      // Over the server's receive limit (64 MiB by default): refused by grpc itself.
      const huge = await codeOf((cb) =>
        client.enqueue({ ...item, payload: Buffer.alloc(65 * MIB) }, cb),
      );
      assert.equal(huge, 'RESOURCE_EXHAUSTED');
      assert.equal(server.child.exitCode, null, 'the server is alive');
    },
  );
});

/** Jobs, leases and dead jobs in a few queues, so fuzzed ids sometimes hit something real. */
async function seed(client: Client, gen: Gen): Promise<void> {
  for (let q = 0; q < 3; q++) {
    const queue = uniqueName('fuzz');
    gen.knownQueues.push(queue);
    const requests = Array.from({ length: 50 }, (_, i) => ({ queue, tenantId: `t${i % 3}` }));
    const res = await unary<EnqueueBatchResponse__Output>((cb) =>
      client.enqueueBatch({ requests }, cb),
    );
    gen.knownJobIds.push(...res.results.map((r) => r.job!.jobId));
    const worker = new TestWorker(client, {
      queue,
      credits: 20,
      visibilityTimeout: { seconds: 3600 },
    });
    const jobs = await worker.waitForJobs(20);
    gen.knownLeaseIds.push(...jobs.map((j) => j.leaseId));
    worker.cancel();
  }
}

async function sendOne(raw: grpc.Client, gen: Gen, tally: Tally): Promise<void> {
  const methods = Object.keys(SERVICE);
  const method = gen.chance(0.05) ? 'Lease' : gen.pick(methods.filter((m) => m !== 'Lease'));
  const def = SERVICE[method]!;
  const message = (): Buffer => {
    const kind = gen.int(10);
    if (kind < 3) return gen.bytes(256);
    const valid = encode(def, gen.request(method)) ?? gen.bytes(64);
    return kind < 6 ? gen.mutate(valid) : valid;
  };
  const status = def.requestStream
    ? await stream(raw, def, [message(), message(), message()])
    : await unaryRaw(raw, def, message());
  // grpc-js answers INTERNAL itself for bytes that do not decode as the request message.
  const undecodable = status.details.startsWith('Error deserializing request');
  const name =
    (grpc.status[status.code] ?? `CODE_${status.code}`) + (undecodable ? ' (undecodable)' : '');
  tally.codes.set(name, (tally.codes.get(name) ?? 0) + 1);
  if (status.code === grpc.status.INTERNAL && !undecodable)
    tally.ourInternal.push(`${method}: ${status.details}`);
}

function unaryRaw(raw: grpc.Client, def: Def, message: Buffer): Promise<grpc.StatusObject> {
  return new Promise((resolve) => {
    raw.makeUnaryRequest(
      def.path,
      passthrough,
      passthrough,
      message,
      { deadline: Date.now() + 10_000 },
      (err) =>
        resolve(err ? { code: err.code, details: err.details, metadata: err.metadata } : ok()),
    );
  });
}

/** A Lease stream fed a few messages, then half-closed. */
function stream(raw: grpc.Client, def: Def, messages: Buffer[]): Promise<grpc.StatusObject> {
  return new Promise((resolve) => {
    const call = raw.makeBidiStreamRequest(def.path, passthrough, passthrough, {
      deadline: Date.now() + 1500,
    });
    call.on('data', () => undefined);
    call.on('error', () => undefined);
    call.on('status', (s: grpc.StatusObject) => resolve(s));
    for (const m of messages) call.write(m);
    call.end();
  });
}

function ok(): grpc.StatusObject {
  return { code: grpc.status.OK, details: '', metadata: new grpc.Metadata() };
}
