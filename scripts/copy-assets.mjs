// tsc compiles TypeScript only: the Lua scripts (with their includes/), the dashboard's files and
// the reflection descriptor set ship beside the build (the proto contract is read from proto/).
import { cpSync, mkdirSync, statSync } from 'node:fs';

const luaSrc = 'src/scheduler/redis/lua';
const luaOut = 'dist/scheduler/redis/lua';
cpSync(luaSrc, luaOut, {
  recursive: true,
  filter: (path) => path.endsWith('.lua') || statSync(path).isDirectory(),
});

// The dashboard's page, scripts and styles run in the browser as they are: no build step.
cpSync('src/ui', 'dist/ui', { recursive: true });

// Server reflection serves this descriptor set (src/server/reflection.ts).
mkdirSync('dist/generated', { recursive: true });
cpSync('src/generated/descriptors.binpb', 'dist/generated/descriptors.binpb');
