/**
 * Parsers for schedctl's option values. Each throws commander's InvalidArgumentError, which
 * commander reports as `option '--priority <n>' argument 'abc' is invalid. <why>`: the message
 * names the option, and nothing is sent to the server.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';

/** A whole number in [min, max]. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (text: string) => number {
  const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `${min}..${max}`;
  return (text) => {
    const value = /^[+-]?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(`give a whole number, ${range}.`);
    }
    return value;
  };
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `250ms`, `5s`, `1.5m`, `1h` in milliseconds; the unit is required, so `5` is no guess. */
export function duration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!match)
    throw new InvalidArgumentError('give a number with a unit: ms, s, m or h (e.g. 30s).');
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

/** An ISO 8601 time, e.g. `2027-01-01T09:00:00Z`. */
export function isoTime(text: string): Date {
  const date = new Date(text);
  if (text.trim() === '' || Number.isNaN(date.getTime()))
    throw new InvalidArgumentError('give an ISO 8601 time (e.g. 2027-01-01T09:00:00Z).');
  return date;
}

/**
 * The bytes of a file an option names (- for stdin). A file that cannot be read is a usage error
 * naming the option, raised through `fail` (commander's `program.error`) before any call is made.
 */
export function readOptionFile(
  option: string,
  path: string,
  fail: (message: string) => never,
): Buffer {
  try {
    return readFileSync(path === '-' ? 0 : path);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return fail(`error: ${option}: cannot read ${path} (${why})`);
  }
}

/** `--payload <text>` or `--payload-file <path>` (- for stdin); empty when neither. */
export function readPayload(
  o: { payload?: string; payloadFile?: string },
  fail: (message: string) => never,
): Buffer | string {
  return o.payloadFile ? readOptionFile('--payload-file', o.payloadFile, fail) : (o.payload ?? '');
}
