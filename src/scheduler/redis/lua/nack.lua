--[[ nack.lua: a leased job failed; retry it after a delay, or dead-letter it.
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
ARGV[4] seq        ARGV[5] lease token      ARGV[6] error text
ARGV[7] retry delay (ms), -1 for the backoff policy     ARGV[8] 1 to dead-letter now
ARGV[9] backoff base   ARGV[10] backoff cap   ARGV[11] jitter in [0, 1)   ARGV[12] retention (ms)
Returns {state ('P', 'S' or 'X'), time it is ready again (or died)}, or -1, -2, -3 as ack.lua.
]]
--- @include "keys"
--- @include "clock"
--- @include "counters"
--- @include "tiers"
--- @include "settle"
--- @include "ready"
--- @include "tenant_caps"
--- @include "retry"
local now = now_ms()
local seq = ARGV[4]
local job, code = check_lease(seq, ARGV[5], now)
if not job then return code end
local tier = job.tier
rcall('ZREM', K.leased, seq)
count('leased', tier, -1)
count_tenant_leased(tier, job.tenant, -1)
count('nacked', tier, 1)
local policy = { base = tonumber(ARGV[9]), cap = tonumber(ARGV[10]), jitter = tonumber(ARGV[11]),
  retention = tonumber(ARGV[12]) }
local state, at = retry_or_bury(seq, job, now, ARGV[6], tonumber(ARGV[7]), ARGV[8] == '1', policy)
flush()
flush_tenant_leased()
freed_slot(tier)
return { state, at }
