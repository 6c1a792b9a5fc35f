--[[ extend.lua: pushes a lease's deadline to now + visibility.
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
ARGV[4] seq        ARGV[5] lease token   ARGV[6] visibility (ms)
Returns the new deadline, or -1, -2, -3 as ack.lua.
]]
--- @include "keys"
--- @include "clock"
--- @include "record"
--- @include "settle"
local now = now_ms()
local seq = ARGV[4]
local job, code = check_lease(seq, ARGV[5], now)
if not job then return code end
local deadline = now + tonumber(ARGV[6])
stamp(seq, job, 'L', deadline)
rcall('ZADD', K.leased, deadline, seq)
return deadline
