--[[ lease.lua: moves due delayed jobs and expired leases back (a bounded number per call), then
leases up to `count` ready jobs by the fairness policy.
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

local out = { -1, 0 }
local touched = {}
local deadline = now + visibility
local leased = 0
while leased < count_wanted do
  local tier, finish = pick(K.tiers)
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

for tier in pairs(touched) do prune_idle(k_tenants_idle(tier), 'vt:' .. tier) end
prune_idle(K.tidle, 'vt')
rcall('ZREMRANGEBYSCORE', K.dead, '-inf', now - policy.retention)

local next_due = rcall('ZRANGE', K.delayed, 0, 0, 'WITHSCORES')[2]
local next_deadline = rcall('ZRANGE', K.leased, 0, 0, 'WITHSCORES')[2]
local wake = math.min(tonumber(next_due or math.huge), tonumber(next_deadline or math.huge))
if wake ~= math.huge then out[1] = math.max(0, wake - now) end
return out
