--[[ cancel.lua: cancels a pending, scheduled, leased or dead job. A leased job's lease is fenced
off (its record is no longer leased) and the stream holding it is told (lifecycle.lua).
KEYS[1] meta key   ARGV[1] queue   ARGV[2] pinned time or ''   ARGV[3] tier weights
ARGV[4] seq        ARGV[5] retention (ms)
Returns 1, or -1 no such job, -4 the job already succeeded or was cancelled.
]]
local now = now_ms()
local seq = ARGV[4]
local job = load_job(seq)
if not job then return -1 end
local state, tier = job.s, job.tier
if state == 'P' then
  unready(seq, job)
elseif state == 'S' then
  rcall('ZREM', K.delayed, seq)
  count('scheduled', tier, -1)
elseif state == 'X' then
  rcall('ZREM', K.dead, seq)
  count('dead', tier, -1)
elseif state == 'L' then
  rcall('ZREM', K.leased, seq)
  count('leased', tier, -1)
  publish_cancelled(seq, job.l)
else
  return -4
end
finish(seq, job, 'C', now, tonumber(ARGV[5]))
flush()
if state == 'L' then freed_slot(tier) end
return 1
