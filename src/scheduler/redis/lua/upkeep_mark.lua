--[[ upkeep_mark.lua: a queue has work falling due at a time: its entry in the upkeep index
(../upkeep-index.ts) moves to that time if it is earlier. The index lives in its own Cluster slot,
so the queue's scripts cannot write it: the server calls this after them.
KEYS[1] upkeep due index (zset: queue -> time its upkeep is due)
KEYS[2] upkeep marks (set: queues marked since their entry was last claimed)
ARGV[1] pinned time or ''   ARGV[2] queue   ARGV[3] 'in' (ms from now) or 'at' (epoch ms)
ARGV[4] ms
(includes/upkeep.lua: rcall, now, move_earlier.)
Returns 1.
]]
--- @include "upkeep"
local at = tonumber(ARGV[4])
if ARGV[3] == 'in' then at = now + at end
move_earlier(KEYS[1], at, ARGV[2])
-- The mark tells a claim in progress (upkeep_done.lua) that its view of the queue is out of date.
rcall('SADD', KEYS[2], ARGV[2])
return 1
