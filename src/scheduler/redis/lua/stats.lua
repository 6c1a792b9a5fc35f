--[[ stats.lua: counts of a queue, read in one atomic step.
KEYS[1] meta key   ARGV[1] queue   ARGV[2] pinned time or ''   ARGV[3] tier weights
Returns {now, delayed count, leased count, dead count, counters (flat field/value list),
  then per tier: tier, ready count, ready-since of its oldest ready job ('' when none)}
On its way it trims stale heads of the tiers' ready logs (lib.lua), 10,000 entries at most.
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
  local oldest
  for _ = 1, 10 do
    oldest = trim_ready_log(tier, 1000)
    if oldest or rcall('EXISTS', k_ready_log(tier)) == 0 then break end
  end
  out[#out + 1] = tier; out[#out + 1] = counter('pending', tier); out[#out + 1] = oldest or ''
end
return out
