--[[ stats.lua: counts of a queue, read in one atomic step. It writes one thing only: a rate
sample (below), the one exception to "reads write nothing" (docs/architecture.md).
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
Returns {now, delayed count, leased count, dead count, counters (flat field/value list),
  scheduled jobs past their due time, rate samples (oldest first, this call's included),
  then per tier: tier, ready count, ready-since of its oldest ready job ('' when none)}

Rate sample: the queue's enqueued and dispatched totals, for the add and dispatch rates, appended
to K.rates at most once per RATE_SAMPLE_MS whichever replica asks, the last RATE_SAMPLES kept:
an RPUSH and an LTRIM of a 13-entry list, O(1). It stays here because the rates are wanted
only where stats are read, and sampling on the write path would cost every enqueue and lease.

Cost: six reads, then per tier with ready jobs an LRANGE of at most HEAD_ENTRIES entries of its
ready log and a GETRANGE per entry up to the first live one: the write path keeps the head live
(ready_log.lua), so that is one in the common case. Should all of them be stale, the ready-since
of the last one read stands in: no ready job is older, so the age reported is an upper bound.
]]
--- @include "keys"
--- @include "clock"
--- @include "ready_log"
local HEAD_ENTRIES = 100
local RATE_SAMPLE_MS, RATE_SAMPLES = 5000, 13

-- The ready-since time of a tier's oldest ready job, from the head of its ready log.
local function oldest_ready(tier)
  local at
  for _, entry in ipairs(rcall('LRANGE', k_ready_log(tier), 0, HEAD_ENTRIES - 1)) do
    local _, since, live = ready_log_entry(entry)
    at = since
    if live then break end
  end
  return at and tonumber(at, 36)
end

local now = now_ms()
local counters = rcall('HGETALL', K.count)
local pending, tiers, seen = {}, {}, {}
local function add(tier)
  if not seen[tier] then seen[tier] = true; tiers[#tiers + 1] = tier end
end
for tier in string.gmatch(ARGV[3], '([^,=]+)=') do add(tier) end
local enqueued, dispatched = 0, 0
for i = 1, #counters, 2 do
  local name, tier = string.match(counters[i], '^([^:]*):(.*)$')
  local value = tonumber(counters[i + 1])
  add(tier)
  if name == 'pending' then pending[tier] = value
  elseif name == 'enqueued' then enqueued = enqueued + value
  elseif name == 'dispatched' then dispatched = dispatched + value end
end
local last = rcall('LINDEX', K.rates, '-1')
if not last or now - tonumber(string.match(last, '^[^:]+')) >= RATE_SAMPLE_MS then
  rcall('RPUSH', K.rates, now .. ':' .. enqueued .. ':' .. dispatched)
  rcall('LTRIM', K.rates, num(-RATE_SAMPLES), '-1')
end
local out = { now, rcall('ZCARD', K.delayed), rcall('ZCARD', K.leased), rcall('ZCARD', K.dead),
  counters, rcall('ZCOUNT', K.delayed, '-inf', now), rcall('LRANGE', K.rates, '0', '-1') }
for _, tier in ipairs(tiers) do
  local ready = pending[tier] or 0
  out[#out + 1] = tier; out[#out + 1] = ready
  out[#out + 1] = ready > 0 and oldest_ready(tier) or ''
end
return out
