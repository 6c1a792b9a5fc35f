/**
 * The dashboard's JSON API (/ui/api/) against a real server and Redis: it runs the gRPC handlers,
 * so it answers with their validation, scopes and errors, and it refuses what a browser page
 * from elsewhere could send.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GetQueueStatsResponse__Output } from '../../src/generated/scheduler/v1/GetQueueStatsResponse';
import { startRedis, uniqueName, type TestRedis } from '../helpers/redis';
import { startTestServer, unary, useTestServer, type TestServer } from '../helpers/server';
import { callApi, seedQueue, tokensFile } from './fixture';

describe('dashboard API', () => {
  const t = useTestServer({ STATIC_TIERS: 'acme=premium' });
  const base = (): string => `http://127.0.0.1:${t.server.metricsPort}`;

  it('serves the page under a strict Content-Security-Policy', async () => {
    const res = await fetch(`${base()}/ui/`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(await res.text(), /<script type="module" src="\.\/app\.js">/);
    const preact = await fetch(`${base()}/ui/vendor/preact.mjs`);
    assert.equal(preact.status, 200);
    assert.match(preact.headers.get('content-type') ?? '', /javascript/);
  });

  it('says what it offers: no auth, not read-only, the methods this server serves', async () => {
    const info = (await (await fetch(`${base()}/ui/api/info`)).json()) as {
      authRequired: boolean;
      readOnly: boolean;
      methods: { read: string[]; write: string[] };
    };
    assert.equal(info.authRequired, false);
    assert.equal(info.readOnly, false);
    assert.ok(info.methods.read.includes('GetQueueStats'));
    assert.ok(info.methods.write.includes('RedriveDeadJobs'));
    // The queue-control RPCs the overview and queue pages use.
    assert.ok(info.methods.read.includes('ListQueues'));
    for (const m of ['PauseQueue', 'ResumeQueue', 'PurgeDeadJobs'])
      assert.ok(info.methods.write.includes(m), m);
    assert.ok(!info.methods.read.includes('Enqueue') && !info.methods.write.includes('Enqueue'));
  });

  it('answers an RPC with the response message as JSON: bytes in base64, enums by name', async () => {
    const queue = uniqueName();
    await seedQueue(t.client, queue, { pending: 1, dead: 0 });
    const page = await callApi(base(), 'ListJobs', { queue, state: 'JOB_STATE_PENDING' });
    assert.equal(page.status, 200);
    const [job] = page.body.jobs as Array<Record<string, unknown>>;
    assert.equal(job?.state, 'JOB_STATE_PENDING');
    assert.equal(job?.tier, 'premium');
    const payload = JSON.parse(Buffer.from(String(job?.payload), 'base64').toString()) as unknown;
    assert.deepEqual(payload, { to: 'user0@example.com', n: 0 });
  });

  it('gives bad input the gRPC status, as HTTP 400, naming the field', async () => {
    const bad = await callApi(base(), 'GetQueueStats', { queue: 'no spaces allowed' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.status, 'INVALID_ARGUMENT');
    assert.equal(bad.body.field, 'queue');
    const missing = await callApi(base(), 'GetJob', { jobId: `${uniqueName()}/999` });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.status, 'NOT_FOUND');
    const wrongType = await callApi(base(), 'ListJobs', { queue: 'q', state: 'NOT_A_STATE' });
    assert.equal(wrongType.status, 400);
    assert.match(String(wrongType.body.message), /state/);
  });

  it('acts through the same handler as gRPC: a redrive here is seen over gRPC', async () => {
    const queue = uniqueName();
    const dead = await seedQueue(t.client, queue, { pending: 0, dead: 2 });
    const res = await callApi(base(), 'RedriveDeadJobs', { queue, jobIds: [dead[0]] });
    assert.equal(res.status, 200);
    assert.equal(res.body.redrivenCount, '1');
    const stats = await unary<GetQueueStatsResponse__Output>((cb) =>
      t.client.getQueueStats({ queue }, cb),
    );
    assert.deepEqual([stats.counts?.pending, stats.counts?.dead], ['1', '1']);
  });

  it('serves no method beyond its list, and no streams', async () => {
    for (const method of ['Enqueue', 'Lease', 'Ack', 'NoSuchMethod']) {
      const res = await callApi(base(), method, {});
      assert.equal(res.status, 404, method);
      assert.equal(res.body.status, 'UNIMPLEMENTED', method);
    }
  });

  it('refuses a body that is not JSON, so a cross-site form cannot act', async () => {
    const form = await fetch(`${base()}/ui/api/rpc/RedriveDeadJobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'queue=emails',
    });
    assert.equal(form.status, 400);
    const broken = await fetch(`${base()}/ui/api/rpc/GetQueueStats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"queue":',
    });
    assert.equal(broken.status, 400);
    assert.equal(((await broken.json()) as { status: string }).status, 'INVALID_ARGUMENT');
  });
});

describe('dashboard API with tokens and read-only mode', () => {
  let redis: TestRedis;
  let server: TestServer;
  let readOnly: TestServer;
  const base = (s: TestServer): string => `http://127.0.0.1:${s.metricsPort}`;
  const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

  before(async () => {
    redis = await startRedis();
    const file = tokensFile([
      { name: 'ops', token: 'ops-secret', scopes: ['admin'] },
      { name: 'viewer', token: 'viewer-secret', scopes: ['read'], queues: ['shown-*'] },
    ]);
    server = await startTestServer(redis.url, { AUTH_TOKENS_FILE: file });
    readOnly = await startTestServer(redis.url, { DASHBOARD_READ_ONLY: 'true' });
  });
  after(async () => {
    await server?.stop();
    await readOnly?.stop();
    await redis?.stop();
  });

  it('asks for a token, and honours its scopes and queues', async () => {
    const info = (await (await fetch(`${base(server)}/ui/api/info`)).json()) as {
      authRequired: boolean;
    };
    assert.equal(info.authRequired, true);
    const none = await callApi(base(server), 'GetQueueStats', { queue: 'shown-a' });
    assert.equal(none.status, 401);
    const wrong = await callApi(base(server), 'GetQueueStats', { queue: 'shown-a' }, bearer('x'));
    assert.equal(wrong.status, 401);
    const viewer = bearer('viewer-secret');
    assert.equal(
      (await callApi(base(server), 'GetQueueStats', { queue: 'shown-a' }, viewer)).status,
      200,
    );
    const hidden = await callApi(base(server), 'GetQueueStats', { queue: 'other' }, viewer);
    assert.equal(hidden.status, 403);
    assert.equal(hidden.body.status, 'PERMISSION_DENIED');
    const redrive = await callApi(base(server), 'RedriveDeadJobs', { queue: 'shown-a' }, viewer);
    assert.equal(redrive.status, 403);
    const ops = await callApi(
      base(server),
      'RedriveDeadJobs',
      { queue: 'shown-a' },
      bearer('ops-secret'),
    );
    assert.equal(ops.status, 200);
  });

  it('changes nothing in read-only mode, and offers no actions', async () => {
    const queue = uniqueName();
    const dead = await seedQueue(readOnly.client, queue, { pending: 0, dead: 1 });
    const info = (await (await fetch(`${base(readOnly)}/ui/api/info`)).json()) as {
      readOnly: boolean;
      methods: { write: string[] };
    };
    assert.equal(info.readOnly, true);
    assert.deepEqual(info.methods.write, []);
    const res = await callApi(base(readOnly), 'RedriveDeadJobs', { queue, jobIds: dead });
    assert.equal(res.status, 403);
    assert.match(String(res.body.message), /read-only/);
    const cancel = await callApi(base(readOnly), 'CancelJob', { jobId: dead[0] });
    assert.equal(cancel.status, 403);
    const stats = await unary<GetQueueStatsResponse__Output>((cb) =>
      readOnly.client.getQueueStats({ queue }, cb),
    );
    assert.equal(stats.counts?.dead, '1');
  });

  it('is not served at all with DASHBOARD=off', async () => {
    const off = await startTestServer(redis.url, { DASHBOARD: 'off' });
    try {
      assert.equal((await fetch(`http://127.0.0.1:${off.metricsPort}/ui/`)).status, 404);
      assert.equal((await fetch(`http://127.0.0.1:${off.metricsPort}/metrics`)).status, 200);
    } finally {
      await off.stop();
    }
  });
});
