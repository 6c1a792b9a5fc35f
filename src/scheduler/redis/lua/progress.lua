--[[ progress.lua: records a leased job's progress, fenced by its lease like an ack.
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
ARGV[4] seq        ARGV[5] lease token   ARGV[6] progress (bytes)
Returns 1, or -1 no such job, -2 stale lease, -3 expired lease.

Cost: the record's head (GETRANGE, not the payload), one HSET, and a PUBLISH when watched.
]]
--- @include "keys"
--- @include "clock"
--- @include "record"
--- @include "lifecycle"
--- @include "settle"
local now = now_ms()
local seq = ARGV[4]
local key = k_job(seq)
-- The head up to the end of the lease token: what fence() reads.
local head = rcall('GETRANGE', key, '0', num(RECORD.enqueued - 1))
if head == '' then return -1 end
local code = fence(head, ARGV[5], now)
if code < 0 then return code end
rcall('HSET', k_out(seq), 'p', ARGV[6])
changed(seq)
publish_changed()
return 1
