/**
 * What a tier resolver reports about itself, so a metrics layer can count it without the domain
 * importing a metrics library. Counts are per tenant: a batch of 100 cache hits is one event with
 * `count: 100`, not 100 events.
 */

export type BreakerState = 'closed' | 'open' | 'half_open';

/** Why a tenant got a fallback tier instead of a fresh answer from the source. */
export type FallbackReason = 'breaker_open' | 'timeout' | 'error';

export type TierEvent =
  /** A tenant answered from the fresh cache. */
  | { type: 'cache_hit'; count: number }
  /** A tenant not in the fresh cache: it joins a lookup in flight or starts one. */
  | { type: 'cache_miss'; count: number }
  /** One query to the source, for `tenants` tenants. `error` only for outcome `error`. */
  | {
      type: 'lookup';
      outcome: 'success' | 'timeout' | 'error' | 'rejected';
      tenants: number;
      durationMs: number;
      error?: unknown;
    }
  /** Tenants answered with their last known tier (`stale`) or the default tier (`default`). */
  | { type: 'fallback'; reason: FallbackReason; source: 'stale' | 'default'; count: number }
  /** The source holds a tier name that is not configured: the tenant gets the default tier. */
  | { type: 'unknown_tier'; tenantId: string; value: unknown }
  /** The circuit breaker changed state (each transition is reported once). */
  | { type: 'breaker_state'; state: BreakerState };

/** Called synchronously on the lookup path: keep it cheap. An observer that throws is ignored. */
export type TierObserver = (event: TierEvent) => void;
