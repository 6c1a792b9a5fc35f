/**
 * The Worker's Lease stream against a real server: which inline settles it hands back for resending
 * when the stream ends uncleanly (those the server has not confirmed), and which it forgets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StatusObject } from '@grpc/grpc-js';
import { internalsOf } from '../../src/clients/client';
import type { LeasedJob__Output } from '../../src/generated/scheduler/v1/LeasedJob';
import { LeaseConnection, type SentSettle } from '../../src/clients/lease-connection';
import type { Settle } from '../../src/clients/settle';
import { uniqueName } from '../helpers/redis';
import { useEnv, waitFor } from './helpers';

const env = useEnv();

/** A LeaseConnection on `queue` as the Worker opens one, with what it reports. */
async function connect(queue: string, credits: number) {
  const { connection } = internalsOf(env.client);
  const jobs: LeasedJob__Output[] = [];
  let ended: { status: StatusObject; unconfirmed: SentSettle[] } | undefined;
  const conn = new LeaseConnection(connection.pick(), await connection.metadata(false), {
    onJobs: (got) => jobs.push(...got),
    onSettleError: () => undefined,
    onCancelled: () => undefined,
    onEnd: (status, unconfirmed) => (ended = { status, unconfirmed }),
  });
  conn.open(queue, 30_000, credits);
  return { conn, jobs, ended: () => ended };
}

const ack = (job: LeasedJob__Output): Settle => ({ leaseId: job.leaseId, kind: 'ack' });
const LEASE_END = Date.now() + 60_000;

describe('LeaseConnection', () => {
  it('hands back at an unclean end the inline settles not confirmed, and only those', async () => {
    const queue = uniqueName();
    await env.client.enqueueBatch([1, 2].map(() => ({ queue, tenantId: 't' })));
    const { conn, jobs, ended } = await connect(queue, 2);
    await waitFor('2 jobs', () => jobs.length === 2);
    conn.write(0, ack(jobs[0]!), LEASE_END);
    await waitFor('the first ack confirmed', () => conn.unconfirmed === 0, 2000);
    conn.write(0, ack(jobs[1]!), LEASE_END); // cancelled in this turn: the stream never carries it
    conn.cancel();
    await waitFor('the end', () => ended() !== undefined);
    assert.deepEqual(
      ended()!.unconfirmed.map((s) => s.settle.leaseId),
      [jobs[1]!.leaseId],
      'the confirmed ack is not resent; the unsent one is',
    );
    assert.equal((await env.client.getJob(jobs[0]!.job!.id)).state, 'succeeded');
    assert.equal((await env.client.getJob(jobs[1]!.job!.id)).state, 'leased');
  });
});
