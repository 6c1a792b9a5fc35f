/** Redis trouble as typed errors, for every store on Redis. */
import { SchedulerError } from '../errors';

/** Out of memory is a full queue, anything else but a script's reply error is unreachable. */
export async function guard<T>(op: string, pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (err) {
    const reply = isReplyError(err);
    const full = reply && err.message.startsWith('OOM');
    if (reply && !full) throw err;
    throw new SchedulerError(
      full ? 'resource_exhausted' : 'unavailable',
      full ? 'Redis is out of memory: the queue is full' : `Redis is unavailable: ${String(err)}`,
      { op, cause: err },
    );
  }
}

/** ioredis types ReplyError as `any`: check by name instead. */
function isReplyError(err: unknown): err is Error {
  return err instanceof Error && err.name === 'ReplyError';
}
