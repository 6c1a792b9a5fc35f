--[[ stats.lua: counts of a queue, read in one atomic step.
KEYS[1] meta key   ARGV[1] queue   ARGV[2] pinned time or ''   ARGV[3] tier weights
Returns {now, delayed count, leased count, dead count, counters (flat field/value list),
  then per tier: tier, ready count, ready-since of its oldest ready job ('' when none)}
]]
local now = now_ms()
local counters = rcall('HGETALL', K.count)
local tiers, seen = {}, {}
local function add(tier)
  if not seen[tier] then seen[tier] = true; tiers[#tiers + 1] = tier end
end
for tier in string.gmatch(ARGV[3], '([^,=]+)=') do add(tier) end
for i = 1, #counters, 2 do add(string.match(counters[i], ':(.*)$')) end
local out = { now, rcall('ZCARD', K.delayed), rcall('ZCARD', K.leased), rcall('ZCARD', K.dead),
  counters }
for _, tier in ipairs(tiers) do
  local oldest = rcall('ZRANGE', k_ready(tier), 0, 0, 'WITHSCORES')[2] or ''
  out[#out + 1] = tier; out[#out + 1] = rcall('ZCARD', k_ready(tier)); out[#out + 1] = oldest
end
return out
