/**
 * The lease ids a Lease stream delivered and has not seen settled inline: when one of those jobs
 * is cancelled, this stream is the one to tell. Leases settled by unary call (or left to expire)
 * are never seen to end here, so the set is capped, oldest first: a worker that settles inline
 * (the SDK does) keeps it at its concurrency.
 */
export const MAX_HELD = 10_000;

export class HeldLeases {
  /** Insertion-ordered: the first entry is the oldest. */
  private readonly ids = new Set<string>();

  constructor(private readonly max = MAX_HELD) {}

  add(leaseId: string): void {
    this.ids.add(leaseId);
    if (this.ids.size <= this.max) return;
    const oldest = this.ids.values().next();
    if (!oldest.done) this.ids.delete(oldest.value);
  }

  /** Forgets a lease; true when this stream held it. */
  release(leaseId: string): boolean {
    return this.ids.delete(leaseId);
  }
}
