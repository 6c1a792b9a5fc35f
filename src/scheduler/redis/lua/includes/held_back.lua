--[[ held_back.lua: the tenants lease.lua skips within their tier: paused ones (pause.lua: the
K.paused_tenants set, read only when meta `ptn` says some tenant is paused) and those with as many
jobs leased as their cap (tenant_caps.lua). A skipped tenant stays active and banks no credit; a
tier whose every active tenant is held back is skipped like a capped one.
]]
--- @include "keys"
--- @include "fairness"
--- @include "tenant_caps"
local paused_tenants, skipped = nil, {}
local SKIP_SCAN = 1024
-- Per-tenant caps, when any applies in this queue: each tenant's cap (false: none) and leased
-- jobs, read once per call and counted on by the caller (busy).
local tenant_caps_on = tenant_caps_in_force()
local caps_of, busy = {}, {}

-- `some_paused`: meta `ptn` is set.
local function load_paused_tenants(some_paused)
  if not some_paused then return end
  paused_tenants = {}
  for _, name in ipairs(rcall('SMEMBERS', K.paused_tenants)) do paused_tenants[name] = true end
end

-- A tenant not to serve in this call: paused, or at its cap.
local function held_back(name)
  if paused_tenants and paused_tenants[name] then return true end
  if not tenant_caps_on then return false end
  local cap = caps_of[name]
  if cap == nil then
    cap = tenant_cap(name) or false
    caps_of[name] = cap
    if cap then busy[name] = tonumber(rcall('HGET', K.tenant_leased, name) or '0') end
  end
  return cap and busy[name] >= cap
end

-- A tenant of `tier` was leased a job by this call.
local function count_busy(tier, name)
  count_tenant_leased(tier, name, 1)
  if busy[name] then busy[name] = busy[name] + 1 end
end

-- The tenant of a tier to serve next and its finish tag: the lowest tag not held back. Returns
-- nil when the tier has no active tenant, nil and true when every one seen is held back (the
-- first SKIP_SCAN at most: meant for some tenants of a tier, not most of many thousands).
local function pick_tenant(t)
  local name, pass = pick(t.tenants)
  if not name or not (paused_tenants or tenant_caps_on) or not held_back(name) then
    return name, pass
  end
  for from = 0, SKIP_SCAN - 1, 16 do
    local flat = rcall('ZRANGE', t.tenants, from, from + 15, 'WITHSCORES')
    for i = 1, #flat, 2 do
      if not held_back(flat[i]) then return flat[i], tonumber(flat[i + 1]) end
      skipped[t.name] = skipped[t.name] or {}
      skipped[t.name][flat[i]] = true
    end
    if #flat < 32 then return nil, true end
  end
  return nil, true
end

-- Tenants held back take no share either: like a tenant back from idle, each competes from its
-- tier's tenant virtual time once resumed or below its cap. `tenant_vt`: tier -> the tenant
-- virtual time this call moved it to.
local function requeue_held_back(tenant_vt)
  for tier, names in pairs(skipped) do
    local tvt = tenant_vt[tier] or tonumber(rcall('HGET', K.meta, 'vt:' .. tier) or '0')
    for name in pairs(names) do rcall('ZADD', k_tenants(tier), 'GT', tvt + 1, name) end
  end
end
