--[[ tenant_caps.lua: per-tenant concurrency caps (TENANT_CONCURRENCY, and a tenant's own cap in
K.tenant_caps) and the tenants' leased counts (K.tenant_leased) they are checked against.
ARGV[3] may end in `;<cap>` (scripts.ts encodeTiers): the cap of every tenant without its own.
Every script that takes a job out of the leased set counts it here (count_tenant_leased) and
calls flush_tenant_leased() before it returns.
]]
--- @include "keys"
--- @include "wake"
local default_tenant_cap = tonumber(string.match(ARGV[3], ';(%d+)$'))

-- Whether any tenant cap applies in this queue: a default, or some tenant's own.
local has_own_caps
local function tenant_caps_in_force()
  if has_own_caps == nil then has_own_caps = rcall('EXISTS', K.tenant_caps) == 1 end
  return default_tenant_cap ~= nil or has_own_caps
end

-- A tenant's cap in this queue: its own (0 meaning none) or the default; nil for none.
local function tenant_cap(tenant)
  if not tenant_caps_in_force() then return nil end
  local cap = has_own_caps and rcall('HGET', K.tenant_caps, tenant)
  cap = cap and tonumber(cap) or default_tenant_cap
  if cap == 0 then return nil end
  return cap
end

-- Changes to tenants' leased counts, summed per script and written by flush_tenant_leased().
local leased_deltas, leased_tier = {}, {}
local function count_tenant_leased(tier, tenant, by)
  leased_deltas[tenant] = (leased_deltas[tenant] or 0) + by
  leased_tier[tenant] = tier
end

-- Writes the tenants' leased counts, only while a cap is in force: with none, counting would
-- cost a command per tenant and call for nothing. So leases taken before a cap came into force
-- are not counted, and their settles must not take a count below 0: counts read low (a cap
-- may be passed by the leases out at that moment), never high. A tenant that went from its cap
-- to below it, with jobs ready, was being skipped by lease.lua: waiting consumers look again.
local function flush_tenant_leased()
  if next(leased_deltas) ~= nil and tenant_caps_in_force() then
    for tenant, by in pairs(leased_deltas) do
      if by ~= 0 then
        local now_leased = rcall('HINCRBY', K.tenant_leased, tenant, num(by))
        if now_leased < 0 then
          rcall('HSET', K.tenant_leased, tenant, '0')
          now_leased = 0
        end
        local cap = by < 0 and tenant_cap(tenant)
        if cap and now_leased < cap and now_leased - by >= cap and
            rcall('ZSCORE', k_tenants(leased_tier[tenant]), tenant) then
          wake()
        end
      end
    end
  end
  leased_deltas, leased_tier = {}, {}
end
