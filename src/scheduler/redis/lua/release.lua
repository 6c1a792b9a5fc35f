--[[ release.lua: gives a leased job back without counting an attempt: ready now (the job was
leased for a consumer that left before it was sent), or after a delay (a worker's snooze).
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
ARGV[4] seq        ARGV[5] lease token   ARGV[6] delay (ms), 0 for now
Returns when the job is ready again (ms), or -1, -2, -3 as ack.lua.
]]
--- @include "keys"
--- @include "clock"
--- @include "counters"
--- @include "tiers"
--- @include "settle"
--- @include "ready"
--- @include "tenant_caps"
local now = now_ms()
local seq = ARGV[4]
local job, code = check_lease(seq, ARGV[5], now)
if not job then return code end
rcall('ZREM', K.leased, seq)
count('leased', job.tier, -1)
count_tenant_leased(job.tier, job.tenant, -1)
job.attempt = job.attempt - 1
local delay = tonumber(ARGV[6]) or 0
if delay > 0 then schedule(seq, job, now + delay) else make_ready(seq, job, now) end
flush()
flush_tenant_leased()
freed_slot(job.tier)
return now + delay
