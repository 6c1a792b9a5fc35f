--[[ purge_dead.lua: deletes the oldest dead jobs of a queue (records, outputs and dead-set
entries).
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
ARGV[4] most jobs to delete
Returns how many dead-set entries were removed (safe to repeat until 0).
]]
--- @include "keys"
--- @include "record"
--- @include "counters"
local seqs = rcall('ZRANGE', K.dead, '0', num(tonumber(ARGV[4]) - 1))
for _, seq in ipairs(seqs) do
  local job = load_job(seq)
  -- A dead job's record may have expired already (DEAD_RETENTION_MS): only its entry is left.
  if job and job.state == 'X' then
    count('dead', job.tier, -1)
    rcall('DEL', k_job(seq), k_out(seq))
  end
end
if #seqs > 0 then call_chunked('ZREM', K.dead, seqs) end
flush_counts()
return #seqs
