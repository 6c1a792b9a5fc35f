import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/server/config';

/** The message of the ConfigError that `env` provokes; fails the test if it loads. */
export function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message;
  }
  throw new Error('expected a ConfigError');
}
