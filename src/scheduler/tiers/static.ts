import type { TierResolver } from './resolver';

/**
 * The embedded default source: a fixed tenant -> tier map, everyone else on the default tier,
 * and the tenants' own concurrency caps (STATIC_TIERS `tenant=tier:cap`).
 */
export class StaticTierResolver implements TierResolver {
  constructor(
    private readonly tiers: ReadonlyMap<string, string>,
    private readonly defaultTier: string,
    private readonly caps: ReadonlyMap<string, number> = new Map(),
  ) {}

  concurrencyOf(tenantId: string): number | undefined {
    return this.caps.get(tenantId);
  }

  resolve(tenantId: string): Promise<string> {
    return Promise.resolve(this.tiers.get(tenantId) ?? this.defaultTier);
  }

  resolveMany(tenantIds: readonly string[]): Promise<Map<string, string>> {
    return Promise.resolve(
      new Map(tenantIds.map((id) => [id, this.tiers.get(id) ?? this.defaultTier])),
    );
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
