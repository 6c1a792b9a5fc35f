--[[ pause.lua: pauses or resumes a queue, or one tenant of it. While paused nothing of it is
leased (lease.lua still moves due jobs and expired leases); leases already out stay valid, and
enqueues and acks go on.
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
ARGV[4] tenant ('' for the whole queue)   ARGV[5] 1 to pause, 0 to resume
Returns 1 when the state changed, 0 when it already was so (safe to repeat). A resume wakes the
waiting consumers of every replica (the wake channel), so they lease at once.
Writes meta `paused` (1 while the whole queue is paused) or the :ptn set and meta `ptn` (its
size: lease.lua reads the set only when some tenant is paused).
]]
--- @include "keys"
--- @include "wake"
local tenant, pause = ARGV[4], ARGV[5] == '1'
local changed
if tenant == '' then
  if pause then
    changed = rcall('HSETNX', K.meta, 'paused', '1')
  else
    changed = rcall('HDEL', K.meta, 'paused')
  end
else
  if pause then
    changed = rcall('SADD', K.paused_tenants, tenant)
  else
    changed = rcall('SREM', K.paused_tenants, tenant)
  end
  local n = rcall('SCARD', K.paused_tenants)
  if n > 0 then rcall('HSET', K.meta, 'ptn', n) else rcall('HDEL', K.meta, 'ptn') end
end
if changed == 1 and not pause then wake() end
return changed
