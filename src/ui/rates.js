// @ts-check
/**
 * Rates from the totals GetQueueStats keeps per tier in Redis (every replica's work, not this
 * one's): two readings apart in time give jobs per second.
 */

/** @param {any} stats a GetQueueStats response */
export function totals(stats) {
  const sum = { enqueued: 0, acked: 0, dead: 0, at: Date.now() };
  for (const t of stats?.tiers ?? []) {
    sum.enqueued += Number(t.enqueuedTotal ?? 0);
    sum.acked += Number(t.ackedTotal ?? 0);
    sum.dead += Number(t.deadTotal ?? 0);
  }
  return sum;
}

/**
 * Per-second rates of a queue against its previous reading (kept in `memory`), or undefined on
 * the first reading.
 * @param {Map<string, any>} memory
 * @param {string} key
 * @param {any} stats
 */
export function ratesOf(memory, key, stats) {
  if (!stats) return undefined;
  const now = totals(stats);
  const before = memory.get(key);
  if (!before || before.at === now.at) {
    if (!before) memory.set(key, now);
    return undefined;
  }
  if (now.at - before.at < 500) return before.rates;
  const secs = (now.at - before.at) / 1000;
  const rate = (/** @type {number} */ d) => (Math.max(0, d) / secs).toFixed(1);
  const rates = {
    enqueued: rate(now.enqueued - before.enqueued),
    acked: rate(now.acked - before.acked),
    dead: rate(now.dead - before.dead),
  };
  memory.set(key, { ...now, rates });
  return rates;
}

/**
 * Each tier's share of the leases that started between two readings, beside its share by weight
 * among the tiers that had work: a lease that started has since been acked, nacked or expired,
 * or is still out.
 * @param {any} before
 * @param {any} now
 * @param {Record<string, number>} weights
 */
export function leaseShares(before, now, weights) {
  /** @param {any} t */
  const started = (t) =>
    Number(t.ackedTotal ?? 0) +
    Number(t.nackedTotal ?? 0) +
    Number(t.expiredTotal ?? 0) +
    Number(t.counts?.leased ?? 0);
  const prev = new Map((before?.tiers ?? []).map((/** @type {any} */ t) => [t.tier, started(t)]));
  const rows = (now?.tiers ?? []).map((/** @type {any} */ t) => ({
    tier: t.tier,
    leases: Math.max(0, started(t) - Number(prev.get(t.tier) ?? started(t))),
    active: Number(t.counts?.pending ?? 0) > 0,
    weight: Number(t.weight || weights[t.tier] || 0),
  }));
  const leases = rows.reduce((s, r) => s + r.leases, 0);
  const activeWeight = rows
    .filter((r) => r.active || r.leases > 0)
    .reduce((s, r) => s + r.weight, 0);
  return new Map(
    rows.map((r) => [
      r.tier,
      {
        share: leases > 0 ? r.leases / leases : undefined,
        fair: activeWeight > 0 && (r.active || r.leases > 0) ? r.weight / activeWeight : undefined,
      },
    ]),
  );
}
