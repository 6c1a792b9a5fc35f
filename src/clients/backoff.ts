/** Exponential backoff with jitter, shared by unary retries and the Worker's reconnects. */

/** How retries and reconnects back off. */
export interface BackoffOptions {
  /** The first delay, in milliseconds (before jitter). */
  initialMs: number;
  /** The largest delay, in milliseconds. */
  maxMs: number;
  /** Growth per attempt (default 2). */
  multiplier?: number;
}

/**
 * The delay before retry number `attempt` (0-based): exponential, capped, then scaled by a random
 * factor in [0.5, 1) so that many clients cut off by the same outage do not come back in step.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exponential = options.initialMs * (options.multiplier ?? 2) ** attempt;
  const capped = Math.min(options.maxMs, exponential);
  return Math.round(capped * (0.5 + random() / 2));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
