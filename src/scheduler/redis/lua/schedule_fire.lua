--[[ schedule_fire.lua: one run of a schedule. If the run is still the schedule's next one and
due, it enqueues the run's job (or skips it) and moves the next run on, atomically: whatever
the replicas racing or restarting, a run (schedule id + fire time) enqueues one job at most.
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
ARGV[4] schedule id   ARGV[5] the schedule's version as the caller read it
ARGV[6] fire time: the next run time the caller read   ARGV[7] the run after it, '' for none
ARGV[8] '1' to enqueue the run's job, '0' to skip the run (missed, policy SKIP)
ARGV[9] dedup window (ms)   ARGV[10] the job's delay (ms)   ARGV[11] its idempotency key
ARGV[12] its record tail (codec.ts encodeTail; tier resolved by the caller)
Returns {seq, 1 if duplicate else 0, tier} when it enqueued, {} when it skipped; -6 when the run
is not the schedule's next one anymore (another replica fired it, or the schedule changed, was
paused or deleted since the caller read it); -7 when the run is not due yet on Redis's clock.
The idempotency key (schedule id + fire time) makes a run that somehow came round again a
duplicate within the dedup window; the version, next and last checks do so for ever.
Cost: one enqueue (includes/add_job.lua) and O(log n) in the queue's schedules.
]]
--- @include "keys"
--- @include "clock"
--- @include "add_job"
local id = ARGV[4]
local key = k_schedule(id)
local stored = rcall('HMGET', key, 'ver', 'next', 'last')
if stored[1] ~= ARGV[5] or stored[2] ~= ARGV[6] then return -6 end
local fire = tonumber(ARGV[6])
if stored[3] and fire <= tonumber(stored[3]) then return -6 end
local now = now_ms()
if fire > now then return -7 end
local out = {}
if ARGV[8] == '1' then
  local seq, dup, tier = add_job(now, tonumber(ARGV[9]), tonumber(ARGV[10]), ARGV[11], ARGV[12])
  rcall('HSET', key, 'last', fire, 'job', seq)
  out = { seq, dup, tier }
end
rcall('HSET', key, 'next', ARGV[7])
if ARGV[7] == '' then
  rcall('ZREM', K.schedules_due, id)
else
  rcall('ZADD', K.schedules_due, ARGV[7], id)
end
flush_jobs()
return out
