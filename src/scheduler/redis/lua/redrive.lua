--[[ redrive.lua: brings dead jobs back to ready with a fresh set of attempts.
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
ARGV[4] limit when no seqs are given   ARGV[5..] seqs of the dead jobs to bring back
Returns how many jobs were brought back (unknown or not-dead seqs are skipped).
]]
--- @include "keys"
--- @include "clock"
--- @include "record"
--- @include "counters"
--- @include "ready"
local now = now_ms()
local seqs = {}
for i = 5, #ARGV do seqs[#seqs + 1] = ARGV[i] end
if #seqs == 0 then seqs = rcall('ZRANGE', K.dead, '0', num(tonumber(ARGV[4]) - 1)) end
local moved = 0
for _, seq in ipairs(seqs) do
  local job = load_job(seq)
  if job and job.state == 'X' then
    rcall('ZREM', K.dead, seq)
    count('dead', job.tier, -1)
    rcall('PERSIST', k_job(seq))
    rcall('PERSIST', k_out(seq))
    job.attempt = 0
    make_ready(seq, job, now, false, true)
    moved = moved + 1
  end
end
flush()
return moved
