--[[ upkeep_done.lua: a claimed queue's upkeep ran; its entry moves to the queue's next due work,
or leaves the index when it has none. A queue marked since the claim (new due work the upkeep may
not have seen) keeps the earlier of the two times: never later than a mark asked for.
KEYS[1] upkeep due index   KEYS[2] upkeep marks (see upkeep_mark.lua)
ARGV[1] pinned time or ''  ARGV[2] queue   ARGV[3] ms until its next due work, or -1 for none
(includes/upkeep.lua: rcall, now, move_earlier.)
Returns 1.
]]
--- @include "upkeep"
local queue, wait = ARGV[2], tonumber(ARGV[3])
local next_at = wait >= 0 and now + wait or nil
if rcall('SREM', KEYS[2], queue) == 1 then
  if next_at then move_earlier(KEYS[1], next_at, queue) end
elseif next_at then
  rcall('ZADD', KEYS[1], next_at, queue)
else
  rcall('ZREM', KEYS[1], queue)
end
return 1
