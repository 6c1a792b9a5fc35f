/**
 * The per-tenant rate limit on Redis: one GCRA script (lua/rate_limit.lua) per take, on Redis's
 * clock, so every replica draws on the same budget and skewed replica clocks do not matter.
 */
import type { RateGrant, RateLimiter } from '../rate-limit';
import { rateLimitKey } from './keys';
import { guardRedis } from './redis-errors';
import { loadScript } from './script-loader';
import type { RedisClient } from './scripts';

export interface RateLimitOptions {
  /** Tokens per second (the sustained rate). */
  perSecond: number;
  /** Tokens that can be taken at once after a quiet spell. */
  burst: number;
  /** Test-only: pin the clock (epoch ms) instead of Redis's `TIME`. */
  pinnedNow?: () => number;
}

const COMMAND = 'sched_rate_limit_v1';
type Take = (key: string, ...args: Array<string | number>) => Promise<[number, number]>;

export class RedisRateLimiter implements RateLimiter {
  private readonly intervalMs: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly options: RateLimitOptions,
  ) {
    this.intervalMs = 1000 / options.perSecond;
    redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: loadScript('rate_limit') });
  }

  async take(tenant: string, wanted: number): Promise<RateGrant> {
    if (wanted <= 0) return { granted: 0, retryAfterMs: 0 };
    const run = (this.redis as unknown as Record<string, Take>)[COMMAND]!.bind(this.redis);
    const now = this.options.pinnedNow ? String(this.options.pinnedNow()) : '';
    const [granted, retryAfterMs] = await guardRedis(
      'rate_limit',
      run(rateLimitKey(tenant), this.intervalMs, this.options.burst, wanted, now),
    );
    return { granted, retryAfterMs };
  }
}
