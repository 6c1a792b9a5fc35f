/** Where a tenant's tier comes from: MongoDB in production, a static map by default. */
export interface TierResolver {
  /** Never rejects for a lookup failure: a fallback tier is returned instead. */
  resolve(tenantId: string): Promise<string>;
  /** One lookup for many tenants (batch enqueue). */
  resolveMany(tenantIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * The tenant's own concurrency cap per queue, as the source last said (read after a resolve):
   * undefined when it has none (the default applies), 0 for no cap at all.
   */
  concurrencyOf(tenantId: string): number | undefined;
  close(): Promise<void>;
}
