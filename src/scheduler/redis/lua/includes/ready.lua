--[[ ready.lua: the ready structures of a queue, and the delayed set.

  :q:<tier>:<tenant>:<priority>  a tenant's ready jobs at one priority, seqs, next first: new,
        due and redriven jobs join the back; a retried or released job goes to the front (it
        was tried before any job waiting there)
  :pri:<tier>:<tenant>           the priorities with ready jobs, scored 9 - priority
  :rlog:<tier>  `<seq>:<ready since>` in the order jobs became ready (ready_log.lua)
Jobs made ready are buffered and applied by flush(): one push per priority band, one RPUSH per
tier's ready log and one activation per tenant and tier, however many jobs.
]]
--- @include "keys"
--- @include "record"
--- @include "counters"
--- @include "tiers"
--- @include "fairness"
--- @include "wake"
local bands, band_keys, ready_logs, ready_log_tiers = {}, {}, {}, {}

-- `job`: tier, tenant, priority and attempt. `fresh`: the caller wrote state P and time `now`
-- into the record. `back`: join the back of the band (new, due, redriven), else the front
-- (retried, released).
local function make_ready(seq, job, now, fresh, back)
  if not fresh then stamp(seq, job, 'P', now) end
  local tier = job.tier
  local key = k_band(tier, job.tenant, job.priority)
  local band = bands[key]
  if not band then
    band = { tier = tier, tenant = job.tenant, priority = job.priority, back = {}, front = {} }
    bands[key] = band
    band_keys[#band_keys + 1] = key
  end
  local side = back and band.back or band.front
  side[#side + 1] = seq
  if not ready_logs[tier] then
    ready_logs[tier] = {}
    ready_log_tiers[#ready_log_tiers + 1] = tier
  end
  local log = ready_logs[tier]
  log[#log + 1] = seq .. ':' .. time_text(now)
  count('pending', tier, 1)
end

local function flush_ready()
  if #band_keys == 0 then return end
  local was_empty = rcall('EXISTS', K.tiers) == 0
  for _, key in ipairs(band_keys) do
    local band = bands[key]
    local length
    if #band.back > 0 then length = call_chunked('RPUSH', key, band.back) end
    if #band.front > 0 then
      -- LPUSH puts its last argument first: reversed, the first to come back leads.
      local front = {}
      for i = #band.front, 1, -1 do front[#front + 1] = band.front[i] end
      length = call_chunked('LPUSH', key, front)
    end
    -- A band that was empty is new to the tenant's priorities, and the tenant may be idle.
    if length == #band.back + #band.front then
      local tier = band.tier
      rcall('ZADD', k_priorities(tier, band.tenant), num(9 - band.priority), band.priority)
      activate(k_tenants(tier), k_tenants_idle(tier), 'vt:' .. tier, band.tenant, 1)
    end
  end
  for _, tier in ipairs(ready_log_tiers) do
    call_chunked('RPUSH', k_ready_log(tier), ready_logs[tier])
    activate(K.tiers, K.tidle, 'vt', tier, tier_stride(tier))
  end
  bands, band_keys, ready_logs, ready_log_tiers = {}, {}, {}, {}
  if was_empty then wake() end
end

-- Applies what this script buffered: jobs made ready, counter changes, then the notice of the
-- jobs it changed (lifecycle.lua). Every script that makes jobs ready calls it before it returns.
local function flush()
  flush_ready()
  flush_counts()
  publish_changed()
end

-- After jobs left a band other than by a lease: an emptied band leaves its tenant's priorities,
-- an emptied tenant goes idle, an emptied tier too (with the finish tag of its next lease): it
-- gives up at most one stride.
local function drop_if_empty(tier, tenant, priority)
  local priorities = k_priorities(tier, tenant)
  if rcall('EXISTS', k_band(tier, tenant, priority)) == 1 then return end
  rcall('ZREM', priorities, priority)
  if rcall('EXISTS', priorities) == 1 then return end
  local tpass = rcall('ZSCORE', k_tenants(tier), tenant)
  if tpass then deactivate(k_tenants(tier), k_tenants_idle(tier), tenant, tpass) end
  if rcall('EXISTS', k_tenants(tier)) == 1 then return end
  local pass = rcall('ZSCORE', K.tiers, tier)
  if pass then deactivate(K.tiers, K.tidle, tier, pass) end
end

-- Takes a ready job out of the ready structures (cancel, update_job). LREM walks the band up to
-- the job.
local function unready(seq, job)
  rcall('LREM', k_band(job.tier, job.tenant, job.priority), '1', seq)
  count('pending', job.tier, -1)
  drop_if_empty(job.tier, job.tenant, job.priority)
end

-- A new earliest due time wakes consumers too, so idle ones re-arm their timers for it.
-- `fresh`: the caller already wrote state S and time `due` into the record.
local function schedule(seq, job, due, fresh)
  local head = rcall('ZRANGE', K.delayed, '0', '0', 'WITHSCORES')[2]
  if not head or due < tonumber(head) then wake() end
  if not fresh then stamp(seq, job, 'S', due) end
  rcall('ZADD', K.delayed, num(due), seq)
  count('scheduled', job.tier, 1)
end
