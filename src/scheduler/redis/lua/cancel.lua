--[[ cancel.lua: cancels a pending, scheduled or dead job.
KEYS[1] meta key   ARGV[1] queue   ARGV[2] pinned time or ''   ARGV[3] tier weights
ARGV[4] seq        ARGV[5] retention (ms)
Returns 1, or -1 no such job, -4 the job is leased or already finished.
]]
local now = now_ms()
local seq = ARGV[4]
local f = rcall('HMGET', k_job(seq), 's', 'r', 't')
local state, tier, tenant = f[1], f[2], f[3]
if not state then return -1 end
if state == 'P' then
  unready(seq, tier, tenant)
elseif state == 'S' then
  rcall('ZREM', K.delayed, seq)
  count('scheduled', tier, -1)
elseif state == 'X' then
  rcall('ZREM', K.dead, seq)
  count('dead', tier, -1)
else
  return -4
end
finish(seq, 'C', now, tonumber(ARGV[5]))
flush()
return 1
