/**
 * The one place where a failed Redis call becomes a domain error, so the transport maps domain
 * codes only. Out of memory is a full queue (resource_exhausted); a connection failure, or a reply
 * that means "not now" (loading, failing over, a script running too long, a slot moving), is
 * unavailable; any other reply (a script error, a wrong type) is a bug and stays as it is, for
 * the transport to report as internal.
 */
import { SchedulerError, isSchedulerError } from '../errors';

/** Redis replies that mean "not now": loading, failing over, a script running too long. */
const TRANSIENT_REPLIES = /^(LOADING|BUSY|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|MOVED|ASK)\b/;

/** ioredis types ReplyError as `any`: check by name instead. */
function isReplyError(err: unknown): err is Error {
  return err instanceof Error && err.name === 'ReplyError';
}

/** `err`, thrown by a Redis call of operation `op`, as the domain sees it. */
export function fromRedisError(err: unknown, op: string): unknown {
  if (isSchedulerError(err)) return err;
  if (isReplyError(err)) {
    if (err.message.startsWith('OOM')) {
      return new SchedulerError('resource_exhausted', 'Redis is out of memory: the queue is full', {
        op,
        cause: err,
      });
    }
    if (!TRANSIENT_REPLIES.test(err.message)) return err;
  }
  return new SchedulerError('unavailable', `Redis is unavailable: ${String(err)}`, {
    op,
    cause: err,
  });
}

/** Awaits a Redis call; what it throws goes through fromRedisError. */
export async function guardRedis<T>(op: string, pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (err) {
    throw fromRedisError(err, op);
  }
}
