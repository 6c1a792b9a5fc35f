/**
 * The Lua script loader without Redis: includes are inlined once each, dependencies first, and a
 * missing include or a cycle is an error that names the chain of files. Plus the rules the real
 * scripts keep: every script assembles, and no Lua file is over 250 lines.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LUA_DIR, assembleScript, loadScript } from '../../src/scheduler/redis/script-loader';

function reader(files: Record<string, string>): (name: string) => string | undefined {
  return (name) => files[name];
}

/** The assembled script's lines that are code, not the loader's markers. */
function code(script: string): string[] {
  return script.split('\n').filter((line) => !line.startsWith('-- '));
}

describe('script loader', () => {
  it('inlines an include in place of its line, after the includes it declares', () => {
    const files = { a: 'local a = 1', b: '--- @include "a"\nlocal b = a + 1' };
    const script = assembleScript('main', '--- @include "b"\nreturn b', reader(files));
    assert.deepEqual(code(script), ['local a = 1', 'local b = a + 1', 'return b']);
  });

  it('inlines an include named twice, directly or through another, only once', () => {
    const files = { a: 'local a = 1', b: '--- @include "a"\nlocal b = a + 1' };
    const script = assembleScript(
      'main',
      '--- @include "a"\n--- @include "b"\n--- @include "a"\nreturn b',
      reader(files),
    );
    assert.deepEqual(code(script), ['local a = 1', 'local b = a + 1', 'return b']);
  });

  it('rejects an include that does not exist, naming the file that asked for it', () => {
    const files = { b: '--- @include "nope"' };
    assert.throws(
      () => assembleScript('main', '--- @include "b"', reader(files)),
      /main -> b includes "nope": no such include file/,
    );
  });

  it('rejects a cycle of includes, naming the cycle', () => {
    const files = { a: '--- @include "b"', b: '--- @include "c"', c: '--- @include "a"' };
    assert.throws(
      () => assembleScript('main', '--- @include "a"', reader(files)),
      /Lua include cycle: main -> a -> b -> c -> a/,
    );
    assert.throws(
      () => assembleScript('main', '--- @include "a"', reader({ a: '--- @include "a"' })),
      /cycle: main -> a -> a/,
    );
  });

  it('leaves lines that only look like includes alone', () => {
    const text = '-- @include "a"\nlocal s = \'--- @include "a"\'';
    assert.equal(assembleScript('main', text, reader({})), text);
  });

  it('assembles every script of the scheduler, each include once', () => {
    const scripts = readdirSync(LUA_DIR).filter((f) => f.endsWith('.lua'));
    assert.ok(scripts.length >= 10);
    for (const file of scripts) {
      const script = loadScript(file.replace(/\.lua$/, ''));
      assert.doesNotMatch(script, /^--- @include/m, file);
      const marks = script.match(/^-- include (\S+) --$/gm) ?? [];
      assert.equal(new Set(marks).size, marks.length, `${file} inlines an include twice`);
    }
  });

  it('keeps every Lua file at 250 lines or fewer', () => {
    const dirs = [LUA_DIR, join(LUA_DIR, 'includes')];
    for (const dir of dirs) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.lua'))) {
        const lines = readFileSync(join(dir, file), 'utf8').split('\n').length;
        assert.ok(lines <= 250, `${file} has ${lines} lines`);
      }
    }
  });
});
