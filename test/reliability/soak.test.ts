/**
 * A short soak (SOAK_DURATION_MS, 20 s here) in the suite: the rotation of faults of soak.ts
 * under load, judged by the history checker. `npm run soak -- --duration 5m` is the long one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runSoak } from './soak';

const DURATION_MS = Number(process.env.SOAK_DURATION_MS ?? 20_000);

describe('soak', () => {
  it(
    `survives ${DURATION_MS / 1000} s of faults under load with nothing lost`,
    { timeout: DURATION_MS + 120_000 },
    async () => {
      const result = await runSoak({ durationMs: DURATION_MS, log: (l) => console.log(l) });
      console.log(`soak faults: ${result.faults.join(', ')}`);
      console.log(result.summary);
      assert.ok(result.faults.length >= 3, 'faults were injected');
      assert.ok(result.ok, result.summary);
    },
  );
});
