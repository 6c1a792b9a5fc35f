/**
 * Add and dispatch rates of a queue (the autoscaling signals), from samples of its enqueued and
 * dispatched totals that stats.lua keeps in Redis: every replica's reads feed one series, so the
 * rates are the queue's, not one replica's.
 */

/** Totals of a queue at one time (Redis's clock, epoch ms). */
export interface TotalsSample {
  timeMs: number;
  enqueued: number;
  dispatched: number;
}

export interface QueueRates {
  /** Jobs enqueued per second over the window. */
  addRate: number;
  /** Jobs leased per second over the window. */
  dispatchRate: number;
  /** The span the rates cover; 0 when there is no earlier sample (the rates are then 0). */
  windowMs: number;
}

/** The rates aim at this span: long enough to smooth bursts, short enough to follow a surge. */
export const RATE_WINDOW_MS = 60_000;

/** Parses stats.lua's `<time>:<enqueued>:<dispatched>` entries (malformed ones are skipped). */
export function parseSamples(entries: string[]): TotalsSample[] {
  const samples: TotalsSample[] = [];
  for (const entry of entries) {
    const [timeMs, enqueued, dispatched] = entry.split(':').map(Number);
    if (Number.isFinite(timeMs) && Number.isFinite(enqueued) && Number.isFinite(dispatched))
      samples.push({ timeMs: timeMs!, enqueued: enqueued!, dispatched: dispatched! });
  }
  return samples;
}

/**
 * Rates from the current totals against a baseline: the oldest sample within RATE_WINDOW_MS, or
 * when reads are sparser than that, the newest earlier sample (a longer window, reported as such).
 */
export function ratesOf(current: TotalsSample, samples: TotalsSample[]): QueueRates {
  const earlier = samples.filter((s) => s.timeMs < current.timeMs);
  const base =
    earlier.find((s) => current.timeMs - s.timeMs <= RATE_WINDOW_MS) ?? earlier[earlier.length - 1];
  if (!base) return { addRate: 0, dispatchRate: 0, windowMs: 0 };
  const windowMs = current.timeMs - base.timeMs;
  const perSecond = (delta: number): number => Math.max(0, delta) / (windowMs / 1000);
  return {
    addRate: perSecond(current.enqueued - base.enqueued),
    dispatchRate: perSecond(current.dispatched - base.dispatched),
    windowMs,
  };
}
