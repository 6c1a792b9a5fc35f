--[[ tiers.lua: the tiers' weights and concurrency caps.
ARGV[3]: `tier=weight[:cap],...[;tenant cap]` (scripts.ts encodeTiers; the tenant cap is read by
tenant_caps.lua). An unlisted tier gets the smallest weight; a tier without a cap has no limit
on its leased jobs in the queue (`leased:<tier>` in K.count).
]]
--- @include "keys"
--- @include "counters"
--- @include "wake"
local STRIDE = 1000000
local weights, caps, min_weight = {}, {}, math.huge
for tier, w, cap in string.gmatch(ARGV[3], '([^,=]+)=(%d+):?(%d*)') do
  weights[tier] = tonumber(w)
  min_weight = math.min(min_weight, tonumber(w))
  if cap ~= '' then caps[tier] = tonumber(cap) end
end

-- How far a tier's finish tag moves per lease (fairness.lua).
local function tier_stride(tier) return STRIDE / (weights[tier] or min_weight) end

-- `n` (default 1) leased jobs of `tier` were settled or given back, and counted. If that freed a
-- slot under the tier's cap while it has ready jobs, waiting consumers must look again: nothing
-- else would wake them.
local function freed_slot(tier, n)
  local cap = caps[tier]
  if not cap then return end
  local now_leased = counter('leased', tier)
  if now_leased < cap and now_leased + (n or 1) >= cap and rcall('ZSCORE', K.tiers, tier) then
    wake()
  end
end
