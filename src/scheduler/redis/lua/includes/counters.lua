--[[ counters.lua: the queue's per-tier gauges and totals (K.count, `<name>:<tier>` fields).
Changes are summed in the script and written once per field by flush_counts().
]]
--- @include "keys"
local deltas, delta_names = {}, {}
local function count(name, tier, by)
  local key = name .. ':' .. tier
  if deltas[key] == nil then
    deltas[key] = 0
    delta_names[#delta_names + 1] = key
  end
  deltas[key] = deltas[key] + by
end

-- A counter's value, changes of this script included.
local function counter(name, tier)
  local key = name .. ':' .. tier
  return tonumber(rcall('HGET', K.count, key) or '0') + (deltas[key] or 0)
end

local function flush_counts()
  for _, key in ipairs(delta_names) do
    if deltas[key] ~= 0 then rcall('HINCRBY', K.count, key, num(deltas[key])) end
  end
  deltas, delta_names = {}, {}
end
