--[[ fairness.lua: the stride bookkeeping shared by the tier and the tenant level.

Stride scheduling (weighted fair queuing by finish tags) at two levels. Each active member is
scored by the virtual finish tag of its next lease; the lowest is served next and its tag grows
by its stride: STRIDE / weight for a tier (tiers.lua), 1 for a tenant (round robin). The level's
virtual time is the start tag of the last lease served (K.meta `vt`, `vt:<tier>`). A member that
becomes active starts at max(virtual time, its last finish): no banked credit, and no gain from
going idle. Ties go to the member whose name sorts first. A tier at its concurrency cap is
skipped by lease.lua but stays active; its tag is kept at or above vt + its stride meanwhile, so
it banks no credit either.
]]
--- @include "keys"
local function activate(active, idle, vt_field, member, stride)
  if rcall('ZSCORE', active, member) then return end
  local start = tonumber(rcall('HGET', K.meta, vt_field) or '0')
  local last = rcall('ZSCORE', idle, member)
  if last then
    rcall('ZREM', idle, member)
    start = math.max(start, tonumber(last))
  end
  rcall('ZADD', active, num(start + stride), member)
end

local function deactivate(active, idle, member, pass)
  rcall('ZREM', active, member)
  rcall('ZADD', idle, num(pass), member)
end

-- The active member with the lowest finish tag, and that tag.
local function pick(active)
  local head = rcall('ZRANGE', active, '0', '0', 'WITHSCORES')
  if not head[1] then return nil end
  return head[1], tonumber(head[2])
end

-- Idle members whose last finish is behind the virtual time start at vt anyway: forget them.
local function prune_idle(idle, vt_field)
  local vt = rcall('HGET', K.meta, vt_field)
  if vt then rcall('ZREMRANGEBYSCORE', idle, '-inf', vt) end
end

-- Byte order, as a sorted set orders members of equal score (Lua's `<` follows the locale).
local function bytes_before(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
