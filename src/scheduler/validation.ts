/** Input rules shared by every entry point. Each failure names the field at fault. */
import { invalidArgument } from './errors';
import type { EnqueueInput } from './job';

export const NAME_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
export const TIER_PATTERN = /^[a-z0-9_-]{1,32}$/;
export const MAX_PRIORITY = 9;
export const MAX_HEADERS = 64;
export const MAX_HEADER_BYTES = 8 * 1024;
export const MAX_IDEMPOTENCY_KEY = 256;
export const MAX_ERROR_BYTES = 4 * 1024;
/** Delays and visibility timeouts beyond a year are almost certainly unit mistakes. */
export const MAX_DURATION_MS = 365 * 24 * 3600 * 1000;

export interface Limits {
  maxPayloadBytes: number;
  maxAttemptsCap: number;
  /** A job's result (Ack). */
  maxResultBytes: number;
  /** A job's progress (ReportProgress). */
  maxProgressBytes: number;
}

/** Bytes of a field with a size limit: a result, a progress report. */
export function checkBytes(field: string, value: Buffer, max: number): Buffer {
  if (value.length > max)
    throw invalidArgument(field, `${value.length} bytes is over the limit of ${max}`);
  return value;
}

export function checkName(field: string, value: string): string {
  if (!NAME_PATTERN.test(value)) {
    const why = value.length === 0 ? 'must not be empty' : 'must match [A-Za-z0-9._:-]{1,128}';
    throw invalidArgument(field, why);
  }
  return value;
}

export function checkDuration(field: string, ms: number, min = 0): number {
  if (!Number.isFinite(ms) || ms < min || ms > MAX_DURATION_MS) {
    throw invalidArgument(field, `must be between ${min} ms and 365 days`);
  }
  return Math.round(ms);
}

export function checkCount(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(field, `must be an integer in ${min}..${max}`);
  }
  return value;
}

/** Validates an enqueue request; `prefix` names the item inside a batch (`requests[3].`). */
export function checkEnqueue(input: EnqueueInput, limits: Limits, prefix = ''): void {
  checkName(`${prefix}queue`, input.queue);
  checkName(`${prefix}tenant_id`, input.tenantId);
  checkCount(`${prefix}priority`, input.priority ?? 0, 0, MAX_PRIORITY);
  if (input.payload.length > limits.maxPayloadBytes) {
    throw invalidArgument(
      `${prefix}payload`,
      `${input.payload.length} bytes is over the limit of ${limits.maxPayloadBytes}`,
    );
  }
  if (input.delayMs !== undefined) checkDuration(`${prefix}delay`, input.delayMs);
  if (input.maxAttempts)
    checkCount(`${prefix}max_attempts`, input.maxAttempts, 0, limits.maxAttemptsCap);
  const key = input.idempotencyKey ?? '';
  if (Buffer.byteLength(key) > MAX_IDEMPOTENCY_KEY) {
    throw invalidArgument(
      `${prefix}idempotency_key`,
      `must be at most ${MAX_IDEMPOTENCY_KEY} bytes`,
    );
  }
  checkHeaders(`${prefix}headers`, input.headers ?? {});
}

function checkHeaders(field: string, headers: Record<string, string>): void {
  const entries = Object.entries(headers);
  if (entries.length > MAX_HEADERS) throw invalidArgument(field, `at most ${MAX_HEADERS} entries`);
  let bytes = 0;
  for (const [k, v] of entries) {
    if (k.length === 0) throw invalidArgument(field, 'keys must not be empty');
    bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (bytes > MAX_HEADER_BYTES)
    throw invalidArgument(field, `at most ${MAX_HEADER_BYTES} bytes in all`);
}

/** Truncates an error text to what is stored, on a character boundary. */
export function clipError(text: string): string {
  if (Buffer.byteLength(text) <= MAX_ERROR_BYTES) return text;
  return Buffer.from(text)
    .subarray(0, MAX_ERROR_BYTES)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}
