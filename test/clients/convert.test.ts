/** The SDK's wire conversions that need no server. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as protoLoader from '@grpc/proto-loader';
import { toJobState } from '../../src/clients/convert';

/** The JobState enum's names as the contract spells them. */
function wireStates(): string[] {
  const definition = protoLoader.loadSync('scheduler/v1/scheduler.proto', {
    includeDirs: [join(__dirname, '..', '..', 'proto')],
  });
  const enumType = definition['scheduler.v1.JobState'] as { type: { value: { name: string }[] } };
  return enumType.type.value.map((v) => v.name);
}

describe('toJobState', () => {
  it('names every state of the contract, and only UNSPECIFIED as unspecified', () => {
    const states = wireStates();
    assert.ok(states.length >= 7, `read ${states.length} states from the proto`);
    for (const wire of states) {
      const expected = wire.replace(/^JOB_STATE_/, '').toLowerCase();
      assert.equal(toJobState(wire), expected, wire);
    }
  });

  it('reads a name it does not know as unspecified', () => {
    assert.equal(toJobState('JOB_STATE_PAUSED'), 'unspecified');
    assert.equal(toJobState(''), 'unspecified');
  });
});
