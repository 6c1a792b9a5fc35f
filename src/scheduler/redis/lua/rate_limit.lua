--[[ rate_limit.lua: GCRA (the generic cell rate algorithm, a token bucket kept as one timestamp)
for one tenant's enqueue budget. Standalone: no includes, and not on a queue's slot.
KEYS[1] sched:rl:{<tenant>}  string: the theoretical arrival time (TAT) in ms, with a fraction
ARGV[1] emission interval: ms per token (1000 / rate per second; may be fractional)
ARGV[2] burst: most tokens that can be taken at once (>= 1)
ARGV[3] tokens wanted (>= 1)
ARGV[4] pinned time in ms, or '' for Redis's own clock (tests only pin it)
Returns {granted, retry after ms}: granted = min(wanted, tokens available now), taken at once;
retry after = ms until the next token is due when granted < wanted, else 0.
The key expires when the bucket is full again, so idle tenants cost no memory.
]]
local rcall = redis.call
local interval, burst, wanted = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now
if ARGV[4] ~= '' then
  now = tonumber(ARGV[4])
else
  local t = rcall('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end

local tat = math.max(tonumber(rcall('GET', KEYS[1]) or '0'), now)
-- The epsilon absorbs float error so a token due exactly now counts as available.
local available = math.floor((now + burst * interval - tat) / interval + 1e-9)
local granted = math.max(0, math.min(wanted, available))
if granted > 0 then
  tat = tat + granted * interval
  rcall('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.max(1, math.ceil(tat - now)))
end
if granted == wanted then return { granted, 0 } end
return { granted, math.max(1, math.ceil(tat + interval - burst * interval - now)) }
