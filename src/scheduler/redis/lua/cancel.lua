--[[ cancel.lua: cancels a pending, scheduled, leased or dead job. A leased job's lease is fenced
off (its record is no longer leased), the stream holding it is told (includes/lifecycle.lua) and
its slot under its tier's and its tenant's caps is freed, as an ack would.
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
ARGV[4] seq        ARGV[5] retention (ms)
Returns 1, or -1 no such job, -4 the job already succeeded or was cancelled.
]]
--- @include "keys"
--- @include "clock"
--- @include "record"
--- @include "counters"
--- @include "ready"
--- @include "ready_log"
--- @include "tiers"
--- @include "tenant_caps"
local now = now_ms()
local seq = ARGV[4]
local job = load_job(seq)
if not job then return -1 end
local state, tier = job.state, job.tier
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
  count_tenant_leased(tier, job.tenant, -1)
  publish_cancelled(seq, job.token)
else
  return -4
end
finish(seq, job, 'C', now, tonumber(ARGV[5]))
-- Its ready-log entry is stale now: keep the head live (ready_log.lua).
if state == 'P' then tidy_ready_log(tier, 16) end
flush()
flush_tenant_leased()
if state == 'L' then freed_slot(tier) end
return 1
