--[[ enqueue.lua: adds jobs to one queue, in order.
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
ARGV[4] dedup window (ms) ARGV[5] number of jobs
then 3 values per job: delay (ms), idempotency key ('' for none; unique per queue and tenant),
and the record's tail (priority, max attempts, text fields, payload: includes/record.lua,
encoded by codec.ts).
Returns, per job: seq, 1 if it was a duplicate else 0, tier (the first job's, for a duplicate:
always a job of the same tenant).
Per new job it writes the record (one SET, includes/add_job.lua); the ready structures, counters
and the job counter are written once per batch (flush_jobs()).
]]
--- @include "keys"
--- @include "clock"
--- @include "add_job"
local now = now_ms()
local window = tonumber(ARGV[4])
local out = {}
for i = 0, tonumber(ARGV[5]) - 1 do
  local at = 6 + i * 3
  local seq, dup, tier = add_job(now, window, tonumber(ARGV[at]), ARGV[at + 1], ARGV[at + 2])
  out[#out + 1] = seq; out[#out + 1] = dup; out[#out + 1] = tier
end
flush_jobs()
return out
