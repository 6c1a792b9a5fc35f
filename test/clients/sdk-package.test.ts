/**
 * The SDK as its users install it: `npm pack ./sdk` after scripts/build-sdk.sh, the tarball
 * installed into an empty project with nothing but its declared dependencies, then a plain Node
 * producer and worker from that project against a real server, and a TypeScript consumer
 * type-checked against the shipped declarations.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { after, before, it } from 'node:test';
import { uniqueName } from '../helpers/redis';
import { useTestServer } from '../helpers/server';

const exec = promisify(execFile);
const root = resolve(__dirname, '..', '..');
const t = useTestServer({ STATIC_TIERS: 'acme=premium' });
const NAME = 'priority-scheduler-client';

/** What a server needs and a client must not pull in. */
const SERVER_ONLY = ['ioredis', 'mongodb', 'pino', 'prom-client', 'opossum', 'zod', 'commander'];

interface Manifest {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const manifest = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Manifest;

let project: string;

before(async () => {
  project = mkdtempSync(join(tmpdir(), 'sdk-consumer-'));
  const npm = { cwd: project, timeout: 240_000 };
  await exec('bash', [join(root, 'scripts/build-sdk.sh')], { timeout: 240_000 });
  await exec('npm', ['pack', join(root, 'sdk'), '--pack-destination', project, '--silent'], npm);
  const [tarball] = readdirSync(project).filter((f) => f.endsWith('.tgz'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ private: true }));
  await exec(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', `./${tarball}`],
    npm,
  );
});

after(() => rmSync(project, { recursive: true, force: true }));

it('depends on grpc-js, proto-loader and the OpenTelemetry API only, at the ranges the repository uses', () => {
  const sdk = manifest(join(root, 'sdk/package.json'));
  const repo = manifest(join(root, 'package.json'));
  const optionalPeers = Object.keys(sdk.peerDependencies ?? {}).filter(
    (p) => sdk.peerDependenciesMeta?.[p]?.optional,
  );
  assert.deepEqual(optionalPeers, Object.keys(sdk.peerDependencies ?? {}), 'peers are optional');
  // @opentelemetry/api is a no-op until an application installs an OpenTelemetry SDK.
  assert.deepEqual(Object.keys(sdk.dependencies ?? {}).sort(), [
    '@grpc/grpc-js',
    '@grpc/proto-loader',
    '@opentelemetry/api',
  ]);
  for (const [name, range] of Object.entries(sdk.dependencies ?? {})) {
    assert.equal(range, repo.dependencies?.[name], `${name} range differs from package.json`);
  }
});

it('installs without any server dependency', () => {
  const installed = readdirSync(join(project, 'node_modules'));
  assert.ok(installed.includes(NAME), installed.join());
  for (const name of SERVER_ONLY) assert.ok(!installed.includes(name), `${name} was installed`);
});

it('runs a producer and a worker from the installed package against a real server', async () => {
  const queue = uniqueName();
  writeFileSync(
    join(project, 'roundtrip.js'),
    `const { SchedulerClient, Worker } = require('${NAME}');
const [address, queue] = process.argv.slice(2);
const client = new SchedulerClient({ address });
(async () => {
  await client.waitForReady();
  const { jobId, tier } = await client.enqueue({ queue, tenantId: 'acme', payload: 'hello' });
  let seen;
  const worker = new Worker(client, { queue, handler: (job) => void (seen = job.payload.toString()) });
  worker.start();
  while (worker.stats.succeeded < 1) await new Promise((r) => setTimeout(r, 20));
  await worker.close();
  const { state } = await client.getJob(jobId);
  client.close();
  console.log(JSON.stringify({ tier, seen, state }));
})().catch((err) => { console.error(err); process.exit(1); });
`,
  );
  const { stdout } = await exec(process.execPath, ['roundtrip.js', t.server.address, queue], {
    cwd: project,
    timeout: 30_000,
  });
  assert.deepEqual(JSON.parse(stdout), { tier: 'premium', seen: 'hello', state: 'succeeded' });
});

it('type-checks a TypeScript consumer against the declarations it ships', async () => {
  writeFileSync(
    join(project, 'consumer.ts'),
    `import { SchedulerClient, Worker, type Job, isSchedulerClientError } from '${NAME}';
const client = new SchedulerClient({ address: 'localhost:50051' });
const handler = async (job: Job): Promise<void> => void job.payload.byteLength;
new Worker(client, { queue: 'emails', handler });
export const enqueued: Promise<string> = client
  .enqueue({ queue: 'emails', tenantId: 'acme', priority: 3 })
  .then((r) => r.jobId)
  .catch((err: unknown) => (isSchedulerClientError(err) ? err.codeName : 'other'));
`,
  );
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  const options = [
    '--noEmit',
    '--strict',
    '--skipLibCheck',
    '--module',
    'node16',
    '--target',
    'es2022',
  ];
  const types = ['--types', 'node', '--typeRoots', join(root, 'node_modules/@types')];
  await exec(process.execPath, [tsc, ...options, ...types, 'consumer.ts'], {
    cwd: project,
    timeout: 120_000,
  });
});
