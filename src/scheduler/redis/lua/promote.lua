--[[ promote.lua: makes a scheduled job ready now, as if its due time had come.
KEYS[1] meta key   ARGV[1] queue   ARGV[2] pinned time or ''   ARGV[3] tier weights
ARGV[4] seq
Returns 1 (also for a job already pending: nothing to do), or -1 no such job, or {-4, state}
when the job is leased or finished.
]]
local now = now_ms()
local seq = ARGV[4]
local job = load_job(seq)
if not job then return -1 end
if job.s == 'P' then return 1 end
if job.s ~= 'S' then return { -4, job.s } end
rcall('ZREM', K.delayed, seq)
count('scheduled', job.tier, -1)
-- As lease.lua moves a due job: never tried, the back of its band; a retry, the front.
make_ready(seq, job, now, false, job.a == 0)
flush()
return 1
