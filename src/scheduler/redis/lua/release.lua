--[[ release.lua: gives a leased job back without counting an attempt: ready now (the job was
leased for a consumer that left before it was sent), or after a delay (a worker's snooze).
KEYS[1] meta key   ARGV[1] queue   ARGV[2] pinned time or ''   ARGV[3] tier weights
ARGV[4] seq        ARGV[5] lease token   ARGV[6] delay (ms), 0 for now
Returns when the job is ready again (ms), or -1, -2, -3 as ack.lua.
]]
local now = now_ms()
local seq = ARGV[4]
local job, code = check_lease(seq, ARGV[5], now)
if not job then return code end
rcall('ZREM', K.leased, seq)
count('leased', job.tier, -1)
job.a = job.a - 1
local delay = tonumber(ARGV[6]) or 0
if delay > 0 then schedule(seq, job, now + delay) else make_ready(seq, job, now) end
flush()
freed_slot(job.tier)
return now + delay
