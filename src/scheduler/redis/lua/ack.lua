--[[ ack.lua: leased jobs succeeded (one, or many of one queue in one call: inline acks that came
without credits; with credits they ride on lease.lua).
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
ARGV[4] retention (ms)   ARGV[5..] seq, lease token, result ('' for none), seq, token, result...
Returns one code per job (includes/acks.lua): 1, or -1 no such job, -2 stale lease, -3 expired.
]]
--- @include "acks"
local codes = ack_leases(5, now_ms(), tonumber(ARGV[4]))
flush_counts()
flush_tenant_leased()
publish_changed()
return codes
