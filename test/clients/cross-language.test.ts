/**
 * Producers and workers in Python, Go and TypeScript exchange jobs through one real server, and
 * the fair share holds across languages: with 50 free jobs queued before 5 premium ones, a worker
 * taking one job at a time gets the premium jobs among its first leases (weights 1000:100).
 *
 * Needs Python 3 and Go (scripts/examples.sh builds the examples, cached after the first run).
 * EXAMPLES_SKIP=1 skips this file, and says so.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { SchedulerClient } from '../../src/clients';
import { uniqueName } from '../helpers/redis';
import { useTestServer, type TestServer } from '../helpers/server';
import { waitFor } from './helpers';
import {
  ROOT,
  runExample,
  setupExamples,
  startExample,
  type Examples,
  type HandledJob,
  type Language,
} from './examples';

const exec = promisify(execFile);
const skip = process.env.EXAMPLES_SKIP === '1';
if (skip) {
  console.log('# cross-language tests SKIPPED: EXAMPLES_SKIP=1 is set (unset it to run them)');
}

let server: TestServer;
let client: SchedulerClient;
let examples: Examples;

const FREE = 50;
const PREMIUM = 5;

async function produce(lang: Language, queue: string): Promise<void> {
  const env = { SCHEDULER_ADDR: server.address, QUEUE: queue };
  const lines = await runExample(examples, lang, 'producer', {
    args: [`initech:${FREE}`, `acme:${PREMIUM}:3`],
    env,
  });
  assert.equal(lines.length, FREE + PREMIUM, `${lang} producer enqueued every job`);
  assert.deepEqual(new Set(lines.map((l) => l.tier)), new Set(['free', 'premium']));
}

async function work(lang: Language, queue: string, extra: Record<string, string> = {}) {
  const env = { SCHEDULER_ADDR: server.address, QUEUE: queue, CREDITS: '1', ...extra };
  return (await runExample(examples, lang, 'worker', { env })) as unknown as HandledJob[];
}

/** Premium jobs are leased first: all 5 within the first 6 leases, give or take one. */
function assertPremiumFirst(handled: HandledJob[]): void {
  const premiumAt = handled.flatMap((job, i) => (job.tier === 'premium' ? [i] : []));
  assert.equal(premiumAt.length, PREMIUM);
  assert.ok(
    premiumAt.every((i) => i <= PREMIUM + 1),
    `premium leased at ${premiumAt.join(',')}`,
  );
  assert.ok(handled.filter((j) => j.tier === 'premium').every((j) => j.tenant === 'acme'));
}

async function assertDrained(queue: string): Promise<void> {
  const { counts } = await client.getQueueStats(queue);
  assert.deepEqual(counts, { pending: 0, scheduled: 0, leased: 0, dead: 0 });
}

describe('examples across languages', { skip }, () => {
  // Registered before useTestServer's hooks, so it runs first: the client closes, then the server.
  after(() => client?.close());
  // In the describe block, so that EXAMPLES_SKIP=1 starts nothing.
  const t = useTestServer({ STATIC_TIERS: 'acme=premium' });

  before(async () => {
    examples = await setupExamples();
    server = t.server;
    client = new SchedulerClient({ address: server.address });
  });

  it('a Python producer feeds a Go worker, premium before free', async () => {
    const queue = uniqueName();
    await produce('python', queue);
    const handled = await work('go', queue, { COUNT: String(FREE + PREMIUM) });
    assert.equal(new Set(handled.map((j) => j.id)).size, FREE + PREMIUM);
    assertPremiumFirst(handled);
    await assertDrained(queue);
  });

  it('a Go producer feeds a Python worker, premium before free', async () => {
    const queue = uniqueName();
    await produce('go', queue);
    const handled = await work('python', queue, { COUNT: String(FREE + PREMIUM) });
    assert.equal(new Set(handled.map((j) => j.id)).size, FREE + PREMIUM);
    assertPremiumFirst(handled);
    await assertDrained(queue);
  });

  it('a TypeScript producer feeds a Python worker that nacks once, then acks', async () => {
    const queue = uniqueName();
    await runExample(examples, 'typescript', 'producer', {
      args: ['acme:3'],
      env: { SCHEDULER_ADDR: server.address, QUEUE: queue },
    });
    // The workers nack with retry_delay 0, so each retry is back at once.
    const handled = await work('python', queue, { COUNT: '6', FAIL_ATTEMPTS: '1' });
    const byId = new Map<string, Array<[number, string]>>();
    for (const j of handled) byId.set(j.id, [...(byId.get(j.id) ?? []), [j.attempt, j.result]]);
    assert.equal(byId.size, 3);
    for (const runs of byId.values()) {
      assert.deepEqual(runs, [
        [1, 'nack'],
        [2, 'ack'],
      ]);
    }
    await assertDrained(queue);
  });

  it('a Python watcher follows a job to the result a Python worker acked it with', async () => {
    const queue = uniqueName();
    const { jobId } = await client.enqueue({ queue, tenantId: 'acme', payload: 'abc' });
    const watching = runExample(examples, 'python', 'watch', {
      args: [jobId],
      env: { SCHEDULER_ADDR: server.address },
    });
    await work('python', queue, { COUNT: '1' });
    const lines = await watching;
    const last = lines.at(-1)!;
    assert.equal(last.id, jobId);
    assert.equal(last.state, 'JOB_STATE_SUCCEEDED');
    assert.deepEqual(JSON.parse(last.result as string), { handled_by: 'python', bytes: 3 });
    assert.equal(lines.filter((l) => l.state === 'JOB_STATE_SUCCEEDED').length, 1);
  });

  it('a Go producer feeds a TypeScript worker, premium before free', async () => {
    const queue = uniqueName();
    await produce('go', queue);
    const handled = await work('typescript', queue, { COUNT: String(FREE + PREMIUM) });
    assert.equal(new Set(handled.map((j) => j.id)).size, FREE + PREMIUM);
    assertPremiumFirst(handled);
    await assertDrained(queue);
  });

  it('a Python producer decodes a refusal with grpcio-status and names the field', async () => {
    const run = runExample(examples, 'python', 'producer', {
      args: ['acme:1:12'],
      env: { SCHEDULER_ADDR: server.address, QUEUE: uniqueName() },
    });
    await assert.rejects(run, /exited with 1:\nerror: INVALID_ARGUMENT: .*\(field priority\)/);
  });

  it("docs/api.md's protoc command makes an importable package in an empty folder", async () => {
    const docs = readFileSync(join(ROOT, 'docs/api.md'), 'utf8');
    const line = /^python -m grpc_tools\.protoc .*$/m.exec(docs)?.[0];
    assert.ok(line, 'docs/api.md has a protoc command line');
    const dir = mkdtempSync(join(tmpdir(), 'python-stubs-'));
    try {
      cpSync(join(ROOT, 'proto'), join(dir, 'proto'), { recursive: true });
      const python = examples.python;
      await exec(python, line.replace(/^python /, '').split(' '), { cwd: dir });
      const { stdout } = await exec(
        python,
        [
          '-c',
          'from priority_scheduler.scheduler.v1 import scheduler_pb2_grpc as g; print(g.SchedulerServiceStub.__name__)',
        ],
        { cwd: dir },
      );
      assert.equal(stdout.trim(), 'SchedulerServiceStub');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const lang of ['python', 'go', 'typescript'] as const) {
    it(`a ${lang} worker exits cleanly on SIGTERM and leaves nothing leased`, async () => {
      const queue = uniqueName();
      await client.enqueueBatch([1, 2, 3].map(() => ({ queue, tenantId: 'acme' })));
      const env = { SCHEDULER_ADDR: server.address, QUEUE: queue, CREDITS: '1' };
      const worker = startExample(examples, lang, 'worker', { env, timeoutMs: 20_000 });
      await waitFor('all 3 jobs', () => worker.lines.length === 3);
      worker.signal('SIGTERM');
      await worker.done;
      await assertDrained(queue);
    });
  }
});
