import type { TierResolver } from './resolver';

/** The embedded default source: a fixed tenant -> tier map, everyone else on the default tier. */
export class StaticTierResolver implements TierResolver {
  constructor(
    private readonly tiers: ReadonlyMap<string, string>,
    private readonly defaultTier: string,
  ) {}

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
