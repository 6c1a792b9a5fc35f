--[[ upkeep_claim.lua: takes the queues whose upkeep is due. Each taken entry moves to now + the
claim time, so other replicas skip it meanwhile and another one takes it if this one dies before
upkeep_done.lua; its mark is cleared, so a mark from now on means news.
KEYS[1] upkeep due index   KEYS[2] upkeep marks (see upkeep_mark.lua)
ARGV[1] pinned time or ''  ARGV[2] most queues to take   ARGV[3] claim time (ms)
(includes/upkeep.lua: rcall, now.)
Returns the queues taken, earliest due first.
]]
--- @include "upkeep"
local due = rcall('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', '0', ARGV[2])
if #due == 0 then return due end
local until_at = now + tonumber(ARGV[3])
local zadd = {}
for _, queue in ipairs(due) do zadd[#zadd + 1] = until_at; zadd[#zadd + 1] = queue end
rcall('ZADD', KEYS[1], unpack(zadd))
rcall('SREM', KEYS[2], unpack(due))
return due
