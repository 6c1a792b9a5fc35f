/**
 * Assembles a Lua script from its file and the include files it declares. A line
 * `--- @include "<name>"` (alone on its line) stands for lua/includes/<name>.lua, which may
 * declare includes of its own. Each include is inlined once, at its first mention, after the
 * includes it declares, so a script gets exactly the helpers it uses and a helper is defined
 * before anything that calls it. Redis sees one flat script: its `local`s are the script's own.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const INCLUDE = /^--- @include "([A-Za-z0-9_-]+)"\s*$/;

/** Source of an include by name, or undefined when there is no such include. */
export type IncludeReader = (name: string) => string | undefined;

/**
 * The script `name` (source `text`) with every include inlined. Throws on an include that does
 * not exist and on a cycle, naming the chain of files that led to it.
 */
export function assembleScript(name: string, text: string, readInclude: IncludeReader): string {
  const inlined = new Set<string>();
  const expand = (source: string, chain: string[]): string =>
    source
      .split('\n')
      .map((line) => {
        const include = INCLUDE.exec(line)?.[1];
        if (include === undefined) return line;
        if (chain.includes(include)) {
          throw new Error(`Lua include cycle: ${[...chain, include].join(' -> ')}`);
        }
        if (inlined.has(include)) return `-- (${include}: inlined above)`;
        const body = readInclude(include);
        if (body === undefined) {
          throw new Error(`${chain.join(' -> ')} includes "${include}": no such include file`);
        }
        const expanded = expand(body, [...chain, include]);
        inlined.add(include);
        return `-- include ${include} --\n${expanded}`;
      })
      .join('\n');
  return expand(text, [name]);
}

/** The directory holding the scripts (src/ when run through tsx, dist/ once built). */
export const LUA_DIR = join(__dirname, 'lua');

/** Reads includes from `<dir>/includes/<name>.lua`. */
export function includeReader(dir = LUA_DIR): IncludeReader {
  return (name) => readIfExists(join(dir, 'includes', `${name}.lua`));
}

/** Reads lua/<name>.lua and inlines its includes from lua/includes/. */
export function loadScript(name: string, dir = LUA_DIR): string {
  const text = readIfExists(join(dir, `${name}.lua`));
  if (text === undefined) throw new Error(`no Lua script ${name}.lua in ${dir}`);
  return assembleScript(name, text, includeReader(dir));
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
