/**
 * The circuit breaker in front of a tier source (opossum): it bounds how long a lookup may take and
 * stops sending lookups to a source that keeps failing, so enqueue never waits on a sick database.
 */
import CircuitBreaker from 'opossum';
import type { Logger } from 'pino';
import type { BreakerState, FallbackReason } from './events';

export interface BreakerOptions {
  /** A lookup slower than this counts as failed and its callers get a fallback tier. */
  timeoutMs: number;
  /** Open when more than this percentage of the lookups in the rolling window failed. */
  errorThresholdPercentage: number;
  /** Lookups in the rolling window before the error percentage may open the breaker. */
  volumeThreshold: number;
  /** How long the breaker stays open before it lets one trial lookup through (half-open). */
  resetTimeoutMs: number;
  /** Length of the rolling window the error percentage is computed over. */
  rollingCountTimeoutMs: number;
}

export const DEFAULT_BREAKER_OPTIONS: Readonly<BreakerOptions> = {
  timeoutMs: 250,
  errorThresholdPercentage: 50,
  volumeThreshold: 5,
  resetTimeoutMs: 10_000,
  rollingCountTimeoutMs: 10_000,
};

/** Fills the unset (or undefined, as from an unset variable) fields with the defaults. */
export function withBreakerDefaults(options: Partial<BreakerOptions> = {}): BreakerOptions {
  const d = DEFAULT_BREAKER_OPTIONS;
  return {
    timeoutMs: options.timeoutMs ?? d.timeoutMs,
    errorThresholdPercentage: options.errorThresholdPercentage ?? d.errorThresholdPercentage,
    volumeThreshold: options.volumeThreshold ?? d.volumeThreshold,
    resetTimeoutMs: options.resetTimeoutMs ?? d.resetTimeoutMs,
    rollingCountTimeoutMs: options.rollingCountTimeoutMs ?? d.rollingCountTimeoutMs,
  };
}

export type TierBreaker<A, R> = CircuitBreaker<[A], R>;

/**
 * Wraps `action` in a breaker that logs each state change once and passes it to `onState`
 * (opossum emits every transition exactly once, so no de-duplication is needed here).
 */
export function createTierBreaker<A, R>(
  action: (arg: A) => Promise<R>,
  options: BreakerOptions,
  logger: Logger,
  onState: (state: BreakerState) => void,
): TierBreaker<A, R> {
  const breaker = new CircuitBreaker<[A], R>(action, {
    timeout: options.timeoutMs,
    errorThresholdPercentage: options.errorThresholdPercentage,
    volumeThreshold: options.volumeThreshold,
    resetTimeout: options.resetTimeoutMs,
    rollingCountTimeout: options.rollingCountTimeoutMs,
    // Nobody listens to the snapshots: one timer less per breaker.
    enableSnapshots: false,
  });
  const log = { breaker: 'tier_lookup' };
  breaker.on('open', () => {
    logger.warn(
      { ...log, state: 'open', resetTimeoutMs: options.resetTimeoutMs },
      'tier lookups failing: circuit breaker open, serving last known or default tiers',
    );
    onState('open');
  });
  breaker.on('halfOpen', () => {
    logger.info({ ...log, state: 'half_open' }, 'tier lookup circuit breaker half-open: trying');
    onState('half_open');
  });
  breaker.on('close', () => {
    logger.info({ ...log, state: 'closed' }, 'tier lookups recovered: circuit breaker closed');
    onState('closed');
  });
  return breaker;
}

/** What a rejected `fire()` means for the caller. */
export function fallbackReason(err: unknown): FallbackReason {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'EOPENBREAKER') return 'breaker_open';
  if (code === 'ETIMEDOUT') return 'timeout';
  return 'error';
}
