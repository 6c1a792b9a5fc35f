/**
 * The job record, one Redis string per job (its layout is documented in lua/includes/record.lua):
 * a fixed-width head the scripts write (state, attempt, times, lease token), then the tail the
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

/**
 * Where each fixed-width field starts (0-based); each runs up to where the next one starts, and
 * the text fields start at `text`. The same table as RECORD in lua/includes/record.lua
 * (test/scheduler/lua-tables.test.ts compares them). Numbers are base 36.
 */
export const RECORD = {
  state: 0,
  attempt: 1,
  time: 3,
  token: 12,
  enqueued: 24,
  priority: 33,
  maxAttempts: 34,
  text: 36,
} as const;
/** A lease token: 9 random bytes as base64url, so every lease id has 72 random bits. */
export const TOKEN_CHARS = RECORD.enqueued - RECORD.token;
type FixedField = Exclude<keyof typeof RECORD, 'text'>;
const FIELD_ORDER = Object.keys(RECORD) as Array<keyof typeof RECORD>;
/** Where each fixed field ends (exclusive): where the next one starts. */
const END = Object.fromEntries(
  FIELD_ORDER.slice(0, -1).map((name, i) => [name, RECORD[FIELD_ORDER[i + 1]!]]),
) as Record<FixedField, number>;

/** The text fields, in their order in the record (TEXT in record.lua). */
export const TEXT_FIELDS = ['tier', 'tenant', 'idempotencyKey', 'headers', 'lastError'] as const;
type TextField = (typeof TEXT_FIELDS)[number];
const COLON = 0x3a;

function text(record: Buffer, field: FixedField): string {
  return record.toString('latin1', RECORD[field], END[field]);
}

function base36(record: Buffer, field: FixedField): number {
  return parseInt(text(record, field), 36);
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
  const maxWidth = END.maxAttempts - RECORD.maxAttempts;
  if (
    !Number.isInteger(job.maxAttempts) ||
    job.maxAttempts < 0 ||
    job.maxAttempts >= 36 ** maxWidth
  )
    throw new RangeError(`max attempts ${job.maxAttempts} does not fit the record`);
  const headers = job.headers && Object.keys(job.headers).length ? JSON.stringify(job.headers) : '';
  const fields: Record<TextField, string> = {
    tier: job.tier,
    tenant: job.tenantId,
    idempotencyKey: job.idempotencyKey ?? '',
    headers,
    lastError: '',
  };
  let head = String(job.priority) + job.maxAttempts.toString(36).padStart(maxWidth, '0');
  for (const name of TEXT_FIELDS) head += field(fields[name]);
  const size = Buffer.byteLength(head);
  const tail = Buffer.allocUnsafe(size + job.payload.length);
  tail.write(head, 0);
  job.payload.copy(tail, size);
  return tail;
}

/** Bytes from the start that hold the state and the time field: enough for recordHead. */
export const HEAD_BYTES = END.time;

/** The state letter and the time field (ready since, due, deadline or finish) as stored. */
export function recordHead(record: Buffer): { state: string; time: string } {
  return { state: text(record, 'state'), time: text(record, 'time') };
}

/** The lease token written by lease.lua: meaningful while the job is leased. */
export function leaseToken(record: Buffer): string {
  return text(record, 'token');
}

export function jobFromRecord(queue: string, seq: string, record: Buffer): Job {
  let at: number = RECORD.text;
  const next = (): string => {
    const colon = record.indexOf(COLON, at);
    const end = colon + 1 + Number(record.toString('latin1', at, colon));
    const value = record.toString('utf8', colon + 1, end);
    at = end;
    return value;
  };
  const fields = {} as Record<TextField, string>;
  for (const name of TEXT_FIELDS) fields[name] = next();
  const { tier, tenant: tenantId, idempotencyKey, headers, lastError } = fields;
  const state = STATES[text(record, 'state')] ?? 'pending';
  const time = base36(record, 'time');
  return {
    id: formatJobId(queue, seq),
    queue,
    tenantId,
    tier,
    priority: base36(record, 'priority'),
    payload: record.subarray(at),
    headers: headers ? (JSON.parse(headers) as Record<string, string>) : {},
    attempt: base36(record, 'attempt'),
    maxAttempts: base36(record, 'maxAttempts'),
    state,
    enqueueTime: base36(record, 'enqueued'),
    lastError,
    ...(state === 'scheduled' ? { scheduledTime: time } : {}),
    ...(state === 'leased' ? { leaseExpireTime: time } : {}),
    ...(state === 'succeeded' || state === 'dead' || state === 'cancelled'
      ? { finishTime: time }
      : {}),
    ...(idempotencyKey ? { idempotencyKey } : {}),
  };
}
