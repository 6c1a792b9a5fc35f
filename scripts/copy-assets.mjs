// tsc compiles TypeScript only: the Lua scripts and the proto contract ship beside the build.
import { cpSync, readdirSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const luaSrc = 'src/scheduler/redis/lua';
const luaOut = 'dist/scheduler/redis/lua';
mkdirSync(luaOut, { recursive: true });
for (const file of readdirSync(luaSrc).filter((f) => f.endsWith('.lua'))) {
  cpSync(join(luaSrc, file), join(luaOut, file));
}
