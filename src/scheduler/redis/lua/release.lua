--[[ release.lua: gives a leased job back, ready now, without counting an attempt (the job was
leased for a consumer that left before it was sent).
KEYS[1] meta key   ARGV[1] queue   ARGV[2] pinned time or ''   ARGV[3] tier weights
ARGV[4] seq        ARGV[5] lease token
Returns 1, or -1, -2, -3 as ack.lua.
]]
local now = now_ms()
local seq = ARGV[4]
local tier, code = check_lease(seq, ARGV[5], now)
if not tier then return code end
rcall('ZREM', K.leased, seq)
count('leased', tier, -1)
local f = rcall('HMGET', k_job(seq), 't', 'p')
rcall('HINCRBY', k_job(seq), 'a', -1)
make_ready(seq, tier, f[1], tonumber(f[2]), now)
flush()
freed_slot(tier)
return 1
