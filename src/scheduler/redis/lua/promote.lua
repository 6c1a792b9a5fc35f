--[[ promote.lua: makes a scheduled job ready now, as if its due time had come.
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
ARGV[4] seq
Returns 1 (also for a job already pending: nothing to do), or -1 no such job, or {-4, state}
when the job is leased or finished.
]]
--- @include "keys"
--- @include "clock"
--- @include "record"
--- @include "counters"
--- @include "ready"
local now = now_ms()
local seq = ARGV[4]
local job = load_job(seq)
if not job then return -1 end
if job.state == 'P' then return 1 end
if job.state ~= 'S' then return { -4, job.state } end
rcall('ZREM', K.delayed, seq)
count('scheduled', job.tier, -1)
-- As lease.lua moves a due job: never tried, the back of its band; a retry, the front.
make_ready(seq, job, now, false, job.attempt == 0)
flush()
return 1
