--[[ lease.lua: moves due delayed jobs and expired leases back (a bounded number per call), then
leases up to `count` ready jobs by the fairness policy. A tier with a concurrency cap (ARGV[3])
that has that many jobs leased in this queue is skipped for this call but stays active, so it is
served again as soon as an ack frees a slot; like an idle tier it banks no credit meanwhile.
KEYS[1] meta key        ARGV[1] queue           ARGV[2] pinned time or ''
ARGV[3] tier weights    ARGV[4] count           ARGV[5] visibility (ms)
ARGV[6] lease token prefix                      ARGV[7] max moves
ARGV[8] backoff base    ARGV[9] backoff cap     ARGV[10] jitter in [0, 1)
ARGV[11] retention (ms)
Returns {ms until the next due job or lease deadline (-1: none), n, then n times:
  seq, token, deadline, payload, tenant, tier, priority, headers, attempt, max attempts,
  enqueue time, last error, idempotency key}
]]
local now = now_ms()
local count_wanted, visibility = tonumber(ARGV[4]), tonumber(ARGV[5])
local max_moves = tonumber(ARGV[7])
local policy = { base = tonumber(ARGV[8]), cap = tonumber(ARGV[9]), jitter = tonumber(ARGV[10]),
  retention = tonumber(ARGV[11]) }

for _, seq in ipairs(rcall('ZRANGEBYSCORE', K.delayed, '-inf', now, 'LIMIT', 0, max_moves)) do
  rcall('ZREM', K.delayed, seq)
  local f = rcall('HMGET', k_job(seq), 'r', 't', 'p')
  count('scheduled', f[1], -1)
  make_ready(seq, f[1], f[2], tonumber(f[3]), now)
end

for i, seq in ipairs(rcall('ZRANGEBYSCORE', K.leased, '-inf', '(' .. now, 'LIMIT', 0, max_moves)) do
  rcall('ZREM', K.leased, seq)
  local tier = rcall('HGET', k_job(seq), 'r')
  count('leased', tier, -1)
  count('expired', tier, 1)
  -- A golden-ratio step spreads one random draw over the batch.
  policy.jitter = (tonumber(ARGV[10]) + i * 0.6180339887) % 1
  retry_or_bury(seq, now, 'lease expired', -1, false, policy)
end

-- Leased jobs per capped tier, and the tiers at their cap (skipped below).
local in_flight, capped = {}, {}
for tier, cap in pairs(caps) do
  in_flight[tier] = tonumber(rcall('HGET', K.count, 'leased:' .. tier) or '0')
  if in_flight[tier] >= cap then capped[tier] = true end
end

-- The active tier with the lowest finish tag that is below its cap. Tiers are few: a scan of the
-- set is cheap, and only needed while some tier is capped.
local function pick_tier()
  if next(capped) == nil then return pick(K.tiers) end
  local all = rcall('ZRANGE', K.tiers, 0, -1, 'WITHSCORES')
  for i = 1, #all, 2 do
    if not capped[all[i]] then return all[i], tonumber(all[i + 1]) end
  end
  return nil
end

local out = { -1, 0 }
local touched = {}
local deadline = now + visibility
local leased = 0
while leased < count_wanted do
  local tier, finish = pick_tier()
  if not tier then break end
  local tenants = k_tenants(tier)
  local tenant, tfinish = pick(tenants)
  local queue = tenant and k_tenant_queue(tier, tenant)
  local popped = queue and rcall('ZPOPMIN', queue)
  local seq = popped and popped[1]
  if seq then
    leased = leased + 1
    local token = ARGV[6] .. leased
    local job = k_job(seq)
    rcall('ZREM', k_ready(tier), seq)
    rcall('HINCRBY', job, 'a', 1)
    rcall('HSET', job, 's', 'L', 'l', token, 'u', deadline)
    rcall('ZADD', K.leased, deadline, seq)
    count('leased', tier, 1)
    if caps[tier] then
      in_flight[tier] = in_flight[tier] + 1
      if in_flight[tier] >= caps[tier] then capped[tier] = true end
    end
    local f = rcall('HMGET', job, 't', 'r', 'p', 'h', 'a', 'm', 'e', 'x', 'k')
    out[#out + 1] = seq; out[#out + 1] = token; out[#out + 1] = deadline
    out[#out + 1] = rcall('GET', k_payload(seq)) or ''
    for j = 1, 9 do out[#out + 1] = f[j] or '' end
    charge(tenants, k_tenants_idle(tier), 'vt:' .. tier, tenant, tfinish, 1,
      rcall('EXISTS', queue) == 1)
    charge(K.tiers, K.tidle, 'vt', tier, finish, tier_stride(tier), rcall('EXISTS', tenants) == 1)
  elseif tenant then
    -- Active with nothing ready cannot happen through these scripts; heal it all the same.
    deactivate(tenants, k_tenants_idle(tier), tenant, tfinish)
  else
    deactivate(K.tiers, K.tidle, tier, finish)
  end
  touched[tier] = true
end
out[2] = leased

-- A capped tier takes no share while it waits for a slot, so it must not bank credit either (it
-- would crowd the others out once uncapped): like a tier back from idle, it competes from the
-- current virtual time.
local vt = tonumber(rcall('HGET', K.meta, 'vt') or '0')
for tier in pairs(capped) do
  local pass = rcall('ZSCORE', K.tiers, tier)
  if pass and tonumber(pass) < vt + tier_stride(tier) then
    rcall('ZADD', K.tiers, vt + tier_stride(tier), tier)
  end
end

for tier in pairs(touched) do prune_idle(k_tenants_idle(tier), 'vt:' .. tier) end
prune_idle(K.tidle, 'vt')
rcall('ZREMRANGEBYSCORE', K.dead, '-inf', now - policy.retention)

local next_due = rcall('ZRANGE', K.delayed, 0, 0, 'WITHSCORES')[2]
local next_deadline = rcall('ZRANGE', K.leased, 0, 0, 'WITHSCORES')[2]
local wake = math.min(tonumber(next_due or math.huge), tonumber(next_deadline or math.huge))
if wake ~= math.huge then out[1] = math.max(0, wake - now) end
return out
