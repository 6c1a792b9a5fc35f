/** The add and dispatch rates of a queue from samples of its totals (pure logic). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSamples, ratesOf, RATE_WINDOW_MS } from '../../src/scheduler/rates';

const at = (timeMs: number, enqueued: number, dispatched: number) => ({
  timeMs,
  enqueued,
  dispatched,
});

describe('queue rates', () => {
  it('are zero with no earlier sample, and say so by a zero window', () => {
    assert.deepEqual(ratesOf(at(1000, 50, 10), [at(1000, 50, 10)]), {
      addRate: 0,
      dispatchRate: 0,
      windowMs: 0,
    });
  });

  it('measure against the oldest sample within the window', () => {
    const samples = [at(0, 0, 0), at(30_000, 100, 10), at(60_000, 200, 40)];
    assert.deepEqual(ratesOf(at(70_000, 300, 70), samples), {
      addRate: 200 / 40,
      dispatchRate: 60 / 40,
      windowMs: 40_000,
    });
  });

  it('fall back to the newest earlier sample when reads are sparser than the window', () => {
    const samples = [at(0, 0, 0), at(100_000, 10, 0)];
    const rates = ratesOf(at(100_000 + 2 * RATE_WINDOW_MS, 250, 120), samples);
    assert.equal(rates.windowMs, 2 * RATE_WINDOW_MS);
    assert.equal(rates.addRate, 2);
  });

  it('skip malformed sample entries', () => {
    assert.deepEqual(parseSamples(['5:1:2', 'junk', '7:x:1', '9:3:4']), [at(5, 1, 2), at(9, 3, 4)]);
  });
});
