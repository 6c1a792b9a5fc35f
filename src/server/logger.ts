/**
 * Structured logs (pino, one JSON line per event). Never payloads or secrets: errors are
 * serialized by hand because ioredis attaches the failed command's arguments (job payloads
 * included) to its errors, and URLs lose their passwords.
 */
import pino, { type Logger } from 'pino';
import { redactUrl } from './config';

interface SerializedError {
  type: string;
  message: string;
  code?: string;
  command?: string;
  stack?: string;
  cause?: SerializedError;
}

/** An error without anything that could carry user data: messages, codes, stack, command name. */
export function serializeError(err: unknown, depth = 0): SerializedError | undefined {
  if (err === undefined) return undefined;
  if (!(err instanceof Error))
    return { type: typeof err, message: typeof err === 'string' ? err : 'non-Error thrown' };
  const extra = err as Error & { code?: unknown; command?: { name?: unknown } };
  return {
    type: err.name,
    message: redactUrl(err.message),
    code: typeof extra.code === 'string' ? extra.code : undefined,
    command: typeof extra.command?.name === 'string' ? extra.command.name : undefined,
    stack: err.stack,
    cause: depth < 3 ? serializeError(err.cause, depth + 1) : undefined,
  };
}

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'scheduler', pid: process.pid },
    serializers: { err: serializeError },
    redact: {
      paths: ['payload', '*.payload', 'password', '*.password', 'token', '*.token'],
      censor: '[redacted]',
    },
  });
}
