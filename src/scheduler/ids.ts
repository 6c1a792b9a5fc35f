/**
 * Job ids and lease ids carry their queue so that any replica can route an Ack or a GetJob to
 * the queue's Redis slot with nothing but the id:
 *   job id   `<queue>/<n>`
 *   lease id `<queue>/<n>/<token>`  (the token fences one lease)
 * Queue names cannot contain `/`, so the split is unambiguous.
 */
import { invalidArgument } from './errors';
import { NAME_PATTERN } from './validation';

export interface JobRef {
  queue: string;
  /** The queue-local number, as Redis stores it. */
  seq: string;
}

export interface LeaseRef extends JobRef {
  token: string;
}

const SEQ = /^[1-9][0-9]{0,15}$/;
const TOKEN = /^[A-Za-z0-9_-]{8,64}$/;

export function formatJobId(queue: string, seq: string): string {
  return `${queue}/${seq}`;
}

export function formatLeaseId(queue: string, seq: string, token: string): string {
  return `${queue}/${seq}/${token}`;
}

/** The queue of a job or lease id this server issued, without validating the rest. */
export function queueOfId(id: string): string {
  return id.slice(0, id.indexOf('/'));
}

export function parseJobId(id: string, field = 'job_id'): JobRef {
  const parts = id.split('/');
  const [queue, seq] = parts;
  if (parts.length !== 2 || !queue || !NAME_PATTERN.test(queue) || !seq || !SEQ.test(seq)) {
    throw invalidArgument(field, `malformed job id ${JSON.stringify(id.slice(0, 200))}`);
  }
  return { queue, seq };
}

export function parseLeaseId(id: string, field = 'lease_id'): LeaseRef {
  const parts = id.split('/');
  const [queue, seq, token] = parts;
  if (
    parts.length !== 3 ||
    !queue ||
    !NAME_PATTERN.test(queue) ||
    !seq ||
    !SEQ.test(seq) ||
    !token ||
    !TOKEN.test(token)
  ) {
    throw invalidArgument(field, `malformed lease id ${JSON.stringify(id.slice(0, 200))}`);
  }
  return { queue, seq, token };
}

export function jobIdOfLease(lease: LeaseRef): string {
  return formatJobId(lease.queue, lease.seq);
}
