--[[ update_job.lua: changes the priority of a pending or scheduled job.
KEYS[1] meta key   ARGV[1] queue   ARGV[2] pinned time or ''   ARGV[3] tier weights
ARGV[4] seq        ARGV[5] the new priority, 0..9
Returns 1, or -1 no such job, or {-4, state} when the job is leased or finished.
A pending job leaves its band and joins the back of its new priority's band, ready since now
(its old ready-log entry goes stale: lib.lua); a scheduled job keeps its due time.
Cost: a pending job's LREM walks its old band up to the job.
]]
local now = now_ms()
local seq, priority = ARGV[4], tonumber(ARGV[5])
local job = load_job(seq)
if not job then return -1 end
if job.s ~= 'P' and job.s ~= 'S' then return { -4, job.s } end
if job.p == priority then return 1 end
rcall('SETRANGE', k_job(seq), 31, priority)
if job.s == 'P' then
  unready(seq, job)
  job.p = priority
  make_ready(seq, job, now, false, true)
end
flush()
return 1
