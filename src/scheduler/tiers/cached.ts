/**
 * A TierResolver over any slow, fallible tier source (MongoDB in production): an LRU+TTL cache in
 * front, one lookup in flight per tenant, one source query per batch, and a circuit breaker so that
 * a slow or dead source costs the caller at most the breaker timeout, never an error.
 */
import { performance } from 'node:perf_hooks';
import { inspect } from 'node:util';
import { LRUCache } from 'lru-cache';
import type { Logger } from 'pino';
import type CircuitBreaker from 'opossum';
import {
  createTierBreaker,
  fallbackReason,
  withBreakerDefaults,
  type BreakerOptions,
} from './breaker';
import type { BreakerState, FallbackReason, TierEvent, TierObserver } from './events';
import type { TierResolver } from './resolver';

/** What the source holds of one tenant, as stored (checked by the resolver). */
export interface TenantEntry {
  tier: unknown;
  /** Its own concurrency cap per queue, if the document has one. */
  concurrency?: unknown;
}

/** Where tiers are stored. Implementations do the query only: no caching, no fallback. */
export interface TierDirectory {
  /**
   * One query for all the given tenants. Returns the raw entry of each tenant found; a tenant
   * missing from the map is unknown to the source. Rejects when the source fails.
   */
  find(tenantIds: readonly string[]): Promise<Map<string, TenantEntry>>;
  close(): Promise<void>;
}

export interface CachingTierResolverOptions {
  /** Tier of a tenant the source does not know, and the fallback when it cannot be asked. */
  defaultTier: string;
  /** The configured tiers: any other value in the source maps to the default tier. */
  knownTiers: Iterable<string>;
  /** Tenants kept in the cache, fresh or stale. Default 100 000. */
  cacheMaxEntries?: number;
  /** How long a looked-up tier is served without asking the source again. Default 60 000 ms. */
  cacheTtlMs?: number;
  breaker?: Partial<BreakerOptions>;
  /** Gets warnings and breaker state changes; bind the context (e.g. a component) in a child. */
  logger: Logger;
  onEvent?: TierObserver;
}

export const DEFAULT_CACHE_MAX_ENTRIES = 100_000;
export const DEFAULT_CACHE_TTL_MS = 60_000;
/** Bounds the memory of "already warned about this tenant's unknown tier". */
const MAX_WARNED = 10_000;

export class CachingTierResolver implements TierResolver {
  private readonly defaultTier: string;
  private readonly knownTiers: ReadonlySet<string>;
  private readonly logger: Logger;
  private readonly onEvent: TierObserver | undefined;
  /** Expired entries stay (until evicted) as the last known tier for when the source is down. */
  private readonly cache: LRUCache<string, string>;
  private readonly inFlight = new Map<string, Promise<string>>();
  /** Tenants' own caps as last read (no TTL: kept as last known while the source is down). */
  private readonly caps: LRUCache<string, number>;
  private readonly warned = new LRUCache<string, true>({ max: MAX_WARNED });
  private readonly breaker: CircuitBreaker<[string[]], Map<string, string>>;
  private state: BreakerState = 'closed';
  private sourceHealthy = true;

  constructor(
    private readonly directory: TierDirectory,
    options: CachingTierResolverOptions,
  ) {
    this.defaultTier = options.defaultTier;
    this.knownTiers = new Set(options.knownTiers);
    if (!this.knownTiers.has(this.defaultTier)) {
      throw new Error(`default tier ${this.defaultTier} is not one of the configured tiers`);
    }
    this.logger = options.logger;
    this.onEvent = options.onEvent;
    this.cache = new LRUCache<string, string>({
      max: options.cacheMaxEntries ?? DEFAULT_CACHE_MAX_ENTRIES,
      ttl: options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS,
      noDeleteOnStaleGet: true,
    });
    this.caps = new LRUCache<string, number>({
      max: options.cacheMaxEntries ?? DEFAULT_CACHE_MAX_ENTRIES,
    });
    this.breaker = createTierBreaker(
      (ids) => this.query(ids),
      withBreakerDefaults(options.breaker),
      this.logger,
      (state) => this.onBreakerState(state),
    );
  }

  /** For a readiness probe or a gauge. */
  get breakerState(): BreakerState {
    return this.state;
  }

  async resolve(tenantId: string): Promise<string> {
    const tiers = await this.resolveMany([tenantId]);
    return tiers.get(tenantId) ?? this.defaultTier;
  }

  async resolveMany(tenantIds: readonly string[]): Promise<Map<string, string>> {
    const result = new Map<string, string>();
    const waits: Array<Promise<void>> = [];
    const missing: string[] = [];
    for (const id of new Set(tenantIds)) {
      const fresh = this.cache.get(id);
      const flight = fresh === undefined ? this.inFlight.get(id) : undefined;
      if (fresh !== undefined) result.set(id, fresh);
      else if (flight) waits.push(flight.then((tier) => void result.set(id, tier)));
      else missing.push(id);
    }
    this.emit({ type: 'cache_hit', count: result.size });
    this.emit({ type: 'cache_miss', count: waits.length + missing.length });
    if (missing.length > 0) {
      const looked = this.lookup(missing);
      waits.push(looked.then((tiers) => tiers.forEach((tier, id) => result.set(id, tier))));
    }
    await Promise.all(waits);
    return result;
  }

  concurrencyOf(tenantId: string): number | undefined {
    return this.caps.get(tenantId);
  }

  async close(): Promise<void> {
    this.breaker.shutdown();
    await this.directory.close();
  }

  /** Starts one source query for `ids` and registers it as their in-flight lookup. */
  private lookup(ids: string[]): Promise<Map<string, string>> {
    const batch = this.fireWithFallback(ids);
    for (const id of ids) {
      const one = batch.then((tiers) => tiers.get(id) ?? this.defaultTier);
      this.inFlight.set(id, one);
      void one.finally(() => {
        if (this.inFlight.get(id) === one) this.inFlight.delete(id);
      });
    }
    return batch;
  }

  /** Never rejects: a failed or refused lookup answers with stale or default tiers. */
  private async fireWithFallback(ids: string[]): Promise<Map<string, string>> {
    const started = performance.now();
    try {
      const tiers = await this.breaker.fire(ids);
      this.emitLookup('success', ids.length, started);
      this.noteSourceHealth(true);
      return tiers;
    } catch (err) {
      const reason = fallbackReason(err);
      this.emitLookup(reason === 'breaker_open' ? 'rejected' : reason, ids.length, started, err);
      if (reason !== 'breaker_open') this.noteSourceHealth(false, err);
      return this.fallback(ids, reason);
    }
  }

  /**
   * The breaker's action. It caches what it finds itself, so an answer that arrives after the
   * breaker timed out still warms the cache for the next call (a slow source still gets used).
   */
  private async query(ids: string[]): Promise<Map<string, string>> {
    const raw = await this.directory.find(ids);
    const tiers = new Map<string, string>();
    for (const id of ids) {
      const entry = raw.get(id);
      const tier = this.toTier(id, entry?.tier);
      this.noteCap(id, entry?.concurrency);
      // Not-found tenants are cached too (as the default tier), or each would hit the source.
      this.cache.set(id, tier);
      tiers.set(id, tier);
    }
    return tiers;
  }

  private fallback(ids: string[], reason: FallbackReason): Map<string, string> {
    const tiers = new Map<string, string>();
    let stale = 0;
    for (const id of ids) {
      const known = this.cache.get(id, { allowStale: true });
      if (known !== undefined) stale++;
      tiers.set(id, known ?? this.defaultTier);
    }
    if (stale > 0) this.emit({ type: 'fallback', reason, source: 'stale', count: stale });
    if (stale < ids.length) {
      this.emit({ type: 'fallback', reason, source: 'default', count: ids.length - stale });
    }
    return tiers;
  }

  private toTier(tenantId: string, value: unknown): string {
    // A document without a tier (or with null) means "no particular tier": the default, quietly.
    if (value === undefined || value === null) return this.defaultTier;
    if (typeof value === 'string' && this.knownTiers.has(value)) return value;
    this.warnUnknownTier(tenantId, value);
    return this.defaultTier;
  }

  /** A non-negative integer is the tenant's own cap; anything else is none (warned once). */
  private noteCap(tenantId: string, value: unknown): void {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) {
      this.caps.set(tenantId, value);
      return;
    }
    this.caps.delete(tenantId);
    if (value === undefined || value === null) return;
    const key = `cap\u0000${tenantId}\u0000${inspect(value)}`;
    if (this.warned.has(key)) return;
    this.warned.set(key, true);
    this.logger.warn(
      { tenantId, concurrency: value },
      'concurrency in the tier source is not a non-negative integer: using the default',
    );
  }

  private warnUnknownTier(tenantId: string, value: unknown): void {
    const key = `${tenantId}\u0000${typeof value === 'string' ? value : inspect(value)}`;
    if (!this.warned.has(key)) {
      this.warned.set(key, true);
      this.logger.warn(
        { tenantId, tier: value, defaultTier: this.defaultTier },
        'unknown tier in the tier source: using the default tier',
      );
    }
    this.emit({ type: 'unknown_tier', tenantId, value });
  }

  /** Logs the source going bad and coming back once each, not every failed lookup. */
  private noteSourceHealth(healthy: boolean, err?: unknown): void {
    if (healthy === this.sourceHealthy) return;
    this.sourceHealthy = healthy;
    if (healthy) this.logger.info('tier lookups succeed again');
    else this.logger.warn({ err }, 'tier lookup failed: using fallback');
  }

  private onBreakerState(state: BreakerState): void {
    this.state = state;
    this.emit({ type: 'breaker_state', state });
  }

  private emitLookup(
    outcome: 'success' | 'timeout' | 'error' | 'rejected',
    tenants: number,
    started: number,
    error?: unknown,
  ): void {
    const durationMs = performance.now() - started;
    this.emit(
      outcome === 'error'
        ? { type: 'lookup', outcome, tenants, durationMs, error }
        : { type: 'lookup', outcome, tenants, durationMs },
    );
  }

  private emit(event: TierEvent): void {
    if (!this.onEvent || ('count' in event && event.count === 0)) return;
    try {
      this.onEvent(event);
    } catch (err) {
      // Metrics must never break enqueue.
      this.logger.debug({ err }, 'tier event observer threw');
    }
  }
}
