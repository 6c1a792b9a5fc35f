/**
 * The job record, one Redis string per job (its layout is documented in lua/lib.lua): a
 * fixed-width head the scripts write (state, attempt, times, lease token), then the tail the
 * server encodes at enqueue: priority, max attempts, the text fields as `<length>:<bytes>`, and
 * the payload.
 */
import { formatJobId } from '../ids';
import type { Job, JobState } from '../job';
import type { NewJob } from '../store';

const STATES: Record<string, JobState> = {
  P: 'pending',
  S: 'scheduled',
  L: 'leased',
  D: 'succeeded',
  X: 'dead',
  C: 'cancelled',
};

/** A record's state letter as its name (the letter itself when unknown). */
export function stateName(letter: string): string {
  return STATES[letter] ?? letter;
}

/** Offsets of the fixed-width fields (lua/lib.lua). */
const AT = {
  state: 0,
  attempt: 1,
  time: 3,
  token: 12,
  enqueued: 22,
  priority: 31,
  maxAttempts: 32,
};
const FIELDS_AT = 34;
const TIME_DIGITS = 9;
const COLON = 0x3a;

function base36(record: Buffer, at: number, width: number): number {
  return parseInt(record.toString('latin1', at, at + width), 36);
}

/** Text fields of the tail, each as `<byte length>:<bytes>`; last error is empty at first. */
function field(text: string): string {
  return `${Buffer.byteLength(text)}:${text}`;
}

/** The record's tail for a new job: what enqueue.lua appends to the head it writes. */
export function encodeTail(job: NewJob): Buffer {
  // Validated long before (scheduler.ts); the fixed widths cannot hold more.
  if (!Number.isInteger(job.priority) || job.priority < 0 || job.priority > 9)
    throw new RangeError(`priority ${job.priority} does not fit the record`);
  if (!Number.isInteger(job.maxAttempts) || job.maxAttempts < 0 || job.maxAttempts >= 36 ** 2)
    throw new RangeError(`max attempts ${job.maxAttempts} does not fit the record`);
  const headers = job.headers && Object.keys(job.headers).length ? JSON.stringify(job.headers) : '';
  const text =
    String(job.priority) +
    job.maxAttempts.toString(36).padStart(2, '0') +
    field(job.tier) +
    field(job.tenantId) +
    field(job.idempotencyKey ?? '') +
    field(headers) +
    field('');
  const size = Buffer.byteLength(text);
  const tail = Buffer.allocUnsafe(size + job.payload.length);
  tail.write(text, 0);
  job.payload.copy(tail, size);
  return tail;
}

/** Bytes from the start that hold the state and the time field: enough for recordHead. */
export const HEAD_BYTES = AT.time + TIME_DIGITS;

/** The state letter and the time field (ready since, due, deadline or finish) as stored. */
export function recordHead(record: Buffer): { state: string; time: string } {
  return {
    state: record.toString('latin1', AT.state, AT.state + 1),
    time: record.toString('latin1', AT.time, AT.time + TIME_DIGITS),
  };
}

/** The lease token written by lease.lua: meaningful while the job is leased. */
export function leaseToken(record: Buffer): string {
  return record.toString('latin1', AT.token, AT.token + 10);
}

export function jobFromRecord(queue: string, seq: string, record: Buffer): Job {
  let at = FIELDS_AT;
  const next = (): string => {
    const colon = record.indexOf(COLON, at);
    const end = colon + 1 + Number(record.toString('latin1', at, colon));
    const value = record.toString('utf8', colon + 1, end);
    at = end;
    return value;
  };
  const [tier, tenantId, idempotencyKey, headers, lastError] = [
    next(),
    next(),
    next(),
    next(),
    next(),
  ];
  const state = STATES[record.toString('latin1', 0, 1)] ?? 'pending';
  const time = base36(record, AT.time, TIME_DIGITS);
  return {
    id: formatJobId(queue, seq),
    queue,
    tenantId,
    tier,
    priority: base36(record, AT.priority, 1),
    payload: record.subarray(at),
    headers: headers ? (JSON.parse(headers) as Record<string, string>) : {},
    attempt: base36(record, AT.attempt, 2),
    maxAttempts: base36(record, AT.maxAttempts, 2),
    state,
    enqueueTime: base36(record, AT.enqueued, TIME_DIGITS),
    lastError,
    ...(state === 'scheduled' ? { scheduledTime: time } : {}),
    ...(state === 'leased' ? { leaseExpireTime: time } : {}),
    ...(state === 'succeeded' || state === 'dead' || state === 'cancelled'
      ? { finishTime: time }
      : {}),
    ...(idempotencyKey ? { idempotencyKey } : {}),
  };
}
