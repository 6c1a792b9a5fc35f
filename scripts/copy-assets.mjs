// tsc compiles TypeScript only: the Lua scripts, the dashboard's files and the reflection
// descriptor set ship beside the build (the proto contract is read from proto/).
import { cpSync, readdirSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const luaSrc = 'src/scheduler/redis/lua';
const luaOut = 'dist/scheduler/redis/lua';
mkdirSync(luaOut, { recursive: true });
for (const file of readdirSync(luaSrc).filter((f) => f.endsWith('.lua'))) {
  cpSync(join(luaSrc, file), join(luaOut, file));
}

// The dashboard's page, scripts and styles run in the browser as they are: no build step.
cpSync('src/ui', 'dist/ui', { recursive: true });

// Server reflection serves this descriptor set (src/server/reflection.ts).
mkdirSync('dist/generated', { recursive: true });
cpSync('src/generated/descriptors.binpb', 'dist/generated/descriptors.binpb');
