--[[ upkeep.lua: what the upkeep index scripts (upkeep_*.lua; ../../upkeep-index.ts) share. They
are not scripts on a queue: their KEYS are the index's two keys (keys.ts UPKEEP_*). Every one takes
ARGV[1], a pinned time in ms or '' for Redis's own clock (tests only pin it).
]]
local rcall = redis.call
local now
if ARGV[1] ~= '' then
  now = tonumber(ARGV[1])
else
  local t = rcall('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- ZADD ... LT (Redis 6.2+) by hand: `queue`'s entry moves to `at` if that is earlier, or is added.
local function move_earlier(key, at, queue)
  local current = rcall('ZSCORE', key, queue)
  if not current or at < tonumber(current) then rcall('ZADD', key, at, queue) end
end
