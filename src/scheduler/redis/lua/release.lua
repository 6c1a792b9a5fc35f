--[[ release.lua: gives a leased job back, ready now, without counting an attempt (the job was
leased for a consumer that left before it was sent).
KEYS[1] meta key   ARGV[1] queue   ARGV[2] pinned time or ''   ARGV[3] tier weights
ARGV[4] seq        ARGV[5] lease token
Returns 1, or -1, -2, -3 as ack.lua.
]]
local now = now_ms()
local seq = ARGV[4]
local job, code = check_lease(seq, ARGV[5], now)
if not job then return code end
rcall('ZREM', K.leased, seq)
count('leased', job.tier, -1)
count_tenant_leased(job.tier, job.tenant, -1)
job.a = job.a - 1
make_ready(seq, job, now)
flush()
freed_slot(job.tier)
return 1
