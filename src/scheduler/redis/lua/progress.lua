--[[ progress.lua: records a leased job's progress, fenced by its lease like an ack.
KEYS[1] meta key   ARGV[1] queue   ARGV[2] pinned time or ''   ARGV[3] tier weights
ARGV[4] seq        ARGV[5] lease token   ARGV[6] progress (bytes)
Returns 1, or -1 no such job, -2 stale lease, -3 expired lease.

Cost: the record's head (GETRANGE, not the payload), one HSET, and a PUBLISH when watched.
]]
local now = now_ms()
local seq = ARGV[4]
local key = k_job(seq)
-- The head up to the end of the lease token: what fence() reads.
local head = rcall('GETRANGE', key, 0, 11 + TOKEN_CHARS)
if head == '' then return -1 end
local code = fence(head, ARGV[5], now)
if code < 0 then return code end
rcall('HSET', k_out(key), 'p', ARGV[6])
changed(seq)
publish_changed()
return 1
