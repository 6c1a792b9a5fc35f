--[[ clock.lua: the script's time.
ARGV[2]: a pinned time in ms, or '' for Redis's own clock (tests only pin it). Redis's clock makes
replicas with skewed clocks agree on every deadline.
]]
local function now_ms()
  if ARGV[2] ~= '' then return tonumber(ARGV[2]) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
