--[[ update_job.lua: changes the priority of a pending or scheduled job.
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
ARGV[4] seq        ARGV[5] the new priority, 0..9
Returns 1, or -1 no such job, or {-4, state} when the job is leased or finished.
A pending job leaves its band and joins the back of its new priority's band, ready since now
(its old ready-log entry goes stale: ready_log.lua); a scheduled job keeps its due time.
Cost: a pending job's LREM walks its old band up to the job.
]]
--- @include "keys"
--- @include "clock"
--- @include "record"
--- @include "counters"
--- @include "ready"
--- @include "ready_log"
local now = now_ms()
local seq, priority = ARGV[4], tonumber(ARGV[5])
local job = load_job(seq)
if not job then return -1 end
if job.state ~= 'P' and job.state ~= 'S' then return { -4, job.state } end
if job.priority == priority then return 1 end
rcall('SETRANGE', k_job(seq), RECORD.priority, priority)
if job.state == 'P' then
  unready(seq, job)
  job.priority = priority
  make_ready(seq, job, now, false, true)
  tidy_ready_log(job.tier, 16) -- its old entry is stale: keep the head live
end
flush()
return 1
