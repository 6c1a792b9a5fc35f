--[[ stats.lua: counts of a queue, read in one atomic step.
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
Returns {now, delayed count, leased count, dead count, counters (flat field/value list),
  scheduled jobs past their due time, rate samples (oldest first, this call's included),
  then per tier: tier, ready count, ready-since of its oldest ready job ('' when none)}
On its way it trims stale heads of the tiers' ready logs (includes/ready.lua), 10,000 entries at
most, and records a sample of the queue's enqueued and dispatched totals for the add and
dispatch rates (one per RATE_SAMPLE_MS at most, whichever replica asks, the last RATE_SAMPLES
kept). Cost: O(tiers + counters + log entries trimmed); the sample is an RPUSH and an LTRIM.
]]
--- @include "keys"
--- @include "clock"
--- @include "counters"
--- @include "ready"
local RATE_SAMPLE_MS, RATE_SAMPLES = 5000, 13
local now = now_ms()
local counters = rcall('HGETALL', K.count)
local tiers, seen = {}, {}
local function add(tier)
  if not seen[tier] then seen[tier] = true; tiers[#tiers + 1] = tier end
end
for tier in string.gmatch(ARGV[3], '([^,=]+)=') do add(tier) end
local enqueued, dispatched = 0, 0
for i = 1, #counters, 2 do
  local name, tier = string.match(counters[i], '^([^:]*):(.*)$')
  add(tier)
  if name == 'enqueued' then enqueued = enqueued + tonumber(counters[i + 1])
  elseif name == 'dispatched' then dispatched = dispatched + tonumber(counters[i + 1]) end
end
local last = rcall('LINDEX', K.rates, -1)
if not last or now - tonumber(string.match(last, '^[^:]+')) >= RATE_SAMPLE_MS then
  rcall('RPUSH', K.rates, now .. ':' .. enqueued .. ':' .. dispatched)
  rcall('LTRIM', K.rates, -RATE_SAMPLES, -1)
end
local out = { now, rcall('ZCARD', K.delayed), rcall('ZCARD', K.leased), rcall('ZCARD', K.dead),
  counters, rcall('ZCOUNT', K.delayed, '-inf', now), rcall('LRANGE', K.rates, 0, -1) }
for _, tier in ipairs(tiers) do
  local oldest
  for _ = 1, 10 do
    oldest = trim_ready_log(tier, 1000)
    if oldest or rcall('EXISTS', k_ready_log(tier)) == 0 then break end
  end
  out[#out + 1] = tier; out[#out + 1] = counter('pending', tier); out[#out + 1] = oldest or ''
end
return out
