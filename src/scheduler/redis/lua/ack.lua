--[[ ack.lua: a leased job succeeded.
KEYS[1] meta key   ARGV[1] queue   ARGV[2] pinned time or ''   ARGV[3] tier weights
ARGV[4] seq        ARGV[5] lease token   ARGV[6] retention (ms)
Returns 1, or -1 no such job, -2 stale lease, -3 expired lease.
]]
local now = now_ms()
local seq = ARGV[4]
local tier, code = check_lease(seq, ARGV[5], now)
if not tier then return code end
rcall('ZREM', K.leased, seq)
count('leased', tier, -1)
freed_slot(tier)
count('acked', tier, 1)
finish(seq, 'D', now, tonumber(ARGV[6]))
return 1
