--[[ cancel_jobs.lua: cancels pending and scheduled jobs of a queue, or of one tenant, a bounded
number per call.
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
ARGV[4] tenant ('' for every tenant)   ARGV[5] most jobs to cancel   ARGV[6] retention (ms)
ARGV[7] cursor: scheduled jobs of other tenants to skip at the head of the delayed set ('' = 0)
Returns {cancelled, next cursor}: the cursor is '' once nothing is left to cancel, else the
value to call again with (calling again with '' is always safe, only slower).

Pending jobs first, band by band (LPOP, no walk), then scheduled ones by due time. With a
tenant, the delayed set is read past other tenants' jobs: SCAN_MAX entries at most per call,
which is what the cursor resumes from.
Cost: per job cancelled, three commands (take it, read its record, close it).
]]
--- @include "keys"
--- @include "clock"
--- @include "record"
--- @include "counters"
--- @include "fairness"
--- @include "ready"
--- @include "ready_log"
local now = now_ms()
local tenant, left, retention = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local skip = tonumber(ARGV[7]) or 0
local SCAN_MAX = 10000
local cancelled = 0

local function close(seq, job)
  finish(seq, job, 'C', now, retention)
  cancelled = cancelled + 1
  left = left - 1
end

-- One tenant's ready jobs in one tier, best priority first.
local touched = {}
local function cancel_ready(tier, name)
  touched[tier] = true
  local priorities = k_priorities(tier, name)
  for _, priority in ipairs(rcall('ZRANGE', priorities, '0', '-1')) do
    if left <= 0 then return end
    local band = k_band(tier, name, priority)
    for _, seq in ipairs(rcall('LPOP', band, left) or {}) do
      local job = load_job(seq)
      count('pending', tier, -1)
      if job and job.state == 'P' then close(seq, job) else lost_record(seq, band) end
    end
    drop_if_empty(tier, name, priority)
  end
end

-- Active tiers and tenants are exactly those with ready jobs (ready.lua, fairness.lua).
for _, tier in ipairs(rcall('ZRANGE', K.tiers, '0', '-1')) do
  if left <= 0 then break end
  if tenant ~= '' then
    if rcall('ZSCORE', k_tenants(tier), tenant) then cancel_ready(tier, tenant) end
  else
    while left > 0 do
      local name = rcall('ZRANGE', k_tenants(tier), 0, 0)[1]
      if not name then break end
      cancel_ready(tier, name)
      -- An active tenant with nothing ready cannot happen through these scripts; heal it.
      local pass = left > 0 and rcall('ZSCORE', k_tenants(tier), name)
      if pass then deactivate(k_tenants(tier), k_tenants_idle(tier), name, pass) end
    end
  end
end

-- Their ready-log entries are stale now: keep each head live (ready_log.lua).
for tier in pairs(touched) do tidy_ready_log(tier, 16) end

local scanned = 0
while left > 0 and scanned < SCAN_MAX do
  local chunk = rcall('ZRANGE', K.delayed, num(skip), num(skip + math.min(left, 500) - 1))
  if #chunk == 0 then break end
  for _, seq in ipairs(chunk) do
    scanned = scanned + 1
    local job = load_job(seq)
    if not job then
      rcall('ZREM', K.delayed, seq)
      lost_record(seq, K.delayed)
    elseif tenant == '' or job.tenant == tenant then
      rcall('ZREM', K.delayed, seq)
      count('scheduled', job.tier, -1)
      close(seq, job)
    else
      skip = skip + 1
    end
  end
end
flush()

local more = left <= 0 or scanned >= SCAN_MAX
if more and rcall('ZCARD', K.delayed) <= skip and rcall('EXISTS', K.tiers) == 0 then
  more = false
end
return { cancelled, more and tostring(skip) or '' }
