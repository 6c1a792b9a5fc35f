/**
 * What the dashboard tests share: a server with the dashboard on, jobs in every state to show,
 * and calls to its JSON API as the page makes them.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '../helpers/server';
import { seconds, TestWorker, unary } from '../helpers/server';

export interface ApiReply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** POSTs one RPC to the dashboard's JSON API, as the page does. */
export async function callApi(
  base: string,
  method: string,
  request: unknown,
  headers: Record<string, string> = {},
): Promise<ApiReply> {
  const res = await fetch(`${base}/ui/api/rpc/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(request),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as ApiReply['body'] };
}

/** A tokens file with one token per entry; returns its path. */
export function tokensFile(
  entries: Array<{ name: string; token: string; scopes: string[]; queues?: string[] }>,
): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dashboard-tokens-')), 'tokens.json');
  const list = entries.map((e) => ({
    name: e.name,
    sha256: createHash('sha256').update(e.token).digest('hex'),
    scopes: e.scopes,
    queues: e.queues ?? ['*'],
    tenants: ['*'],
  }));
  writeFileSync(file, JSON.stringify(list));
  return file;
}

/**
 * Fills `queue` with `pending` ready jobs (premium tenant acme, free tenant initech, alternating)
 * and `dead` dead ones (leased, then nacked with no_retry). Returns the dead jobs' ids.
 */
export async function seedQueue(
  client: Client,
  queue: string,
  { pending, dead }: { pending: number; dead: number },
): Promise<string[]> {
  for (let i = 0; i < dead; i++) {
    await unary((cb) =>
      client.enqueue(
        { queue, tenantId: 'acme', payload: Buffer.from(JSON.stringify({ n: i, dead: true })) },
        cb,
      ),
    );
  }
  const deadIds: string[] = [];
  if (dead > 0) {
    const worker = new TestWorker(client, {
      queue,
      credits: dead,
      visibilityTimeout: seconds(30000),
    });
    const jobs = await worker.waitForJobs(dead);
    for (const { leaseId, job } of jobs) {
      await unary((cb) => client.nack({ leaseId, error: 'smtp: mailbox full', noRetry: true }, cb));
      deadIds.push(job!.id);
    }
    worker.end();
    await worker.status;
  }
  for (let i = 0; i < pending; i++) {
    const tenantId = i % 2 === 0 ? 'acme' : 'initech';
    const payload = Buffer.from(JSON.stringify({ to: `user${i}@example.com`, n: i }));
    await unary((cb) =>
      client.enqueue({ queue, tenantId, payload, headers: { trace: `t${i}` } }, cb),
    );
  }
  return deadIds;
}
