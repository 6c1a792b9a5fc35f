--[[ lease.lua: moves due delayed jobs and expired leases back (a bounded number per call), then
leases up to `count` ready jobs by the fairness policy. A tier with a concurrency cap (ARGV[3])
that has that many jobs leased in this queue is skipped for this call but stays active, so it is
served again as soon as an ack frees a slot; like an idle tier it banks no credit meanwhile.
A paused queue (pause.lua) leases nothing, but its due jobs and expired leases still move. A
paused tenant, or one with as many jobs leased as its cap (lib.lua tenant_cap), is skipped the
same way within its tier: it stays active, banks no credit, and a tier whose every active tenant
is held back is skipped like a capped one. An ack that frees a tenant's slot wakes consumers.
KEYS[1] meta key        ARGV[1] queue           ARGV[2] pinned time or ''
ARGV[3] tier weights    ARGV[4] count           ARGV[5] visibility (ms)
ARGV[6] lease token prefix (8 chars)            ARGV[7] max moves
ARGV[8] backoff base    ARGV[9] backoff cap     ARGV[10] jitter in [0, 1)
ARGV[11] retention (ms)
Returns {ms until the next due job or lease deadline (-1: none), n, then n times: seq, record}
(the record as leased: state, attempt, deadline and token already rewritten; lib.lua).

Cost: per leased job, seven commands (pick the tenant, its best priority, pop the job, is that
band empty (if so: drop the priority, is the tenant empty, is the tier empty), read the record,
rewrite its head, charge the tenant). The tiers (a handful) are read once and written back
once; the virtual times, the leased set and the counters once per call. Tenant caps cost one
EXISTS per call when none is in force; when one is, per tenant and call three commands (its
cap, its leased count, the count's HINCRBY). Idle members and old dead jobs are pruned at most
once a second per queue: they only cost memory.
]]
local now = now_ms()
local count_wanted, visibility = tonumber(ARGV[4]), tonumber(ARGV[5])
local max_moves = tonumber(ARGV[7])
local policy = { base = tonumber(ARGV[8]), cap = tonumber(ARGV[9]), jitter = tonumber(ARGV[10]),
  retention = tonumber(ARGV[11]) }
local PRUNE_EVERY_MS = 1000

local function head_score(key)
  local score = rcall('ZRANGE', key, 0, 0, 'WITHSCORES')[2]
  return score and tonumber(score)
end

-- The earliest due time and lease deadline: false for an empty set, nil once a move below may
-- have changed them (read again at the end).
local next_due, next_deadline = head_score(K.delayed) or false, head_score(K.leased) or false

if next_due and next_due <= now then
  for _, seq in ipairs(rcall('ZRANGEBYSCORE', K.delayed, '-inf', now, 'LIMIT', 0, max_moves)) do
    rcall('ZREM', K.delayed, seq)
    local job = load_job(seq)
    if job then
      count('scheduled', job.tier, -1)
      -- A delayed job never tried joins the back, as if enqueued now; a retry goes to the front.
      make_ready(seq, job, now, false, job.a == 0)
    else
      lost_record(seq, K.delayed)
    end
  end
  next_due = nil
end

if next_deadline and next_deadline < now then
  local expired = rcall('ZRANGEBYSCORE', K.leased, '-inf', '(' .. now, 'LIMIT', 0, max_moves)
  for i, seq in ipairs(expired) do
    rcall('ZREM', K.leased, seq)
    local job = load_job(seq)
    if job then
      count('leased', job.tier, -1)
      count_tenant_leased(job.tier, job.tenant, -1)
      count('expired', job.tier, 1)
      -- A golden-ratio step spreads one random draw over the batch.
      policy.jitter = (tonumber(ARGV[10]) + i * 0.6180339887) % 1
      retry_or_bury(seq, job, now, 'lease expired', -1, false, policy)
    else
      lost_record(seq, K.leased)
    end
  end
  next_due, next_deadline = nil, nil
end
flush()

-- The active tiers, kept here while leasing and written back at the end.
local tiers = {}
do
  local flat = rcall('ZRANGE', K.tiers, 0, -1, 'WITHSCORES')
  for i = 1, #flat, 2 do
    local name = flat[i]
    tiers[#tiers + 1] = { name = name, pass = tonumber(flat[i + 1]), tenants = k_tenants(name) }
  end
end

-- Leased jobs per capped tier, and the tiers at their cap (skipped below).
local in_flight, capped = {}, {}
for tier, cap in pairs(caps) do
  in_flight[tier] = counter('leased', tier)
  if in_flight[tier] >= cap then capped[tier] = true end
end

-- Byte order, as a sorted set orders members of equal score (Lua's `<` follows the locale).
local function bytes_before(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

local meta = rcall('HMGET', K.meta, 'vt', 'pruned', 'paused', 'ptn')
local vt, last_prune = tonumber(meta[1] or '0'), tonumber(meta[2] or '0')
if meta[3] then count_wanted = 0 end

-- Paused tenants (a set, read only when there are some), and those this call skipped per tier.
local paused_tenants, skipped = nil, {}
if meta[4] then
  paused_tenants = {}
  for _, name in ipairs(rcall('SMEMBERS', K.paused_tenants)) do paused_tenants[name] = true end
end
local SKIP_SCAN = 1024

-- Per-tenant caps, when any applies in this queue: each tenant's cap (false: none) and leased
-- jobs, read once per call and counted on here.
local tenant_caps_on = tenant_caps_in_force()
local caps_of, busy = {}, {}

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

local function skip(tier, name)
  skipped[tier] = skipped[tier] or {}
  skipped[tier][name] = true
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
      skip(t.name, flat[i])
    end
    if #flat < 32 then return nil, true end
  end
  return nil, true
end

-- The active tier below its cap with the lowest finish tag (ties: the name that sorts first).
local function pick_tier()
  local best
  for _, t in ipairs(tiers) do
    if t.active ~= false and not capped[t.name] and (not best or t.pass < best.pass or
        (t.pass == best.pass and bytes_before(t.name, best.name))) then
      best = t
    end
  end
  return best
end

local tenant_vt = {}
local out = { -1, 0 }
local leased_seqs = {}
local stale_log = {}
local touched = {}
local deadline = now + visibility
local deadline_text = time_text(deadline)
local leased = 0
-- Per tier: jobs leased by this call, counted once at the end.
local leased_of = {}
while leased < count_wanted do
  local t = pick_tier()
  if not t then break end
  local tier = t.name
  local tenants = t.tenants
  local tenant, tfinish = pick_tenant(t)
  local priorities = tenant and k_priorities(tier, tenant)
  local priority = priorities and rcall('ZRANGE', priorities, 0, 0)[1]
  local band = priority and k_band(tier, tenant, priority)
  local seq = band and rcall('LPOP', band)
  touched[tier] = true
  local key = seq and k_job(seq)
  local rec = key and rcall('GET', key)
  if seq and not rec then
    lost_record(seq, band)
    count('pending', tier, -1)
    -- An emptied band, tenant or tier is healed by the branches below on the next turn.
  elseif seq then
    leased = leased + 1
    local tenant_has_more = true
    if rcall('EXISTS', band) == 0 then
      rcall('ZREM', priorities, priority)
      tenant_has_more = rcall('EXISTS', priorities) == 1
    end
    stale_log[seq .. ':' .. rec_time(rec)] = true
    local head = 'L' .. b36(rec_attempt(rec) + 1, 2) .. deadline_text ..
        ARGV[6] .. b36(leased, 2)
    rcall('SETRANGE', key, 0, head)
    leased_seqs[#leased_seqs + 1] = deadline
    leased_seqs[#leased_seqs + 1] = seq
    leased_of[tier] = (leased_of[tier] or 0) + 1
    count_tenant_leased(tier, tenant, 1)
    if busy[tenant] then busy[tenant] = busy[tenant] + 1 end
    if caps[tier] then
      in_flight[tier] = in_flight[tier] + 1
      if in_flight[tier] >= caps[tier] then capped[tier] = true end
    end
    out[#out + 1] = seq; out[#out + 1] = head .. string.sub(rec, #head + 1)
    tenant_vt[tier] = tfinish - 1
    if tenant_has_more then
      rcall('ZADD', tenants, tfinish + 1, tenant)
    else
      deactivate(tenants, k_tenants_idle(tier), tenant, tfinish)
    end
    -- The tier: its next lease finishes one stride later, or it goes idle with this finish.
    local stride = tier_stride(tier)
    vt = t.pass - stride
    if tenant_has_more or rcall('EXISTS', tenants) == 1 then
      t.pass = t.pass + stride
    else
      t.active = false
      rcall('ZREM', K.tiers, tier)
      rcall('ZADD', K.tidle, t.pass, tier)
    end
  elseif priority then
    -- A listed priority with an empty band, or an active tenant with nothing ready, cannot
    -- happen through these scripts; heal them all the same.
    rcall('ZREM', priorities, priority)
  elseif tenant then
    deactivate(tenants, k_tenants_idle(tier), tenant, tfinish)
  elseif tfinish then
    capped[tier] = true -- every active tenant is held back: skipped for this call, still active
  else
    t.active = false
    deactivate(K.tiers, K.tidle, tier, t.pass)
  end
end
out[2] = leased
for tier, n in pairs(leased_of) do
  count('leased', tier, n)
  count('pending', tier, -n)
end

-- A capped tier takes no share while it waits for a slot, so it must not bank credit either (it
-- would crowd the others out once uncapped): like a tier back from idle, it competes from the
-- current virtual time.
for _, t in ipairs(tiers) do
  if t.active ~= false and capped[t.name] then
    t.pass = math.max(t.pass, vt + tier_stride(t.name))
  end
end

-- Tenants held back take no share either: like a tenant back from idle, each competes from its
-- tier's tenant virtual time once resumed or below its cap.
for tier, names in pairs(skipped) do
  local tvt = tenant_vt[tier] or tonumber(rcall('HGET', K.meta, 'vt:' .. tier) or '0')
  for name in pairs(names) do rcall('ZADD', k_tenants(tier), 'GT', tvt + 1, name) end
end

if leased > 0 or next(capped) ~= nil then
  local zadd, vts = {}, { 'vt', vt }
  for _, t in ipairs(tiers) do
    if t.active ~= false then zadd[#zadd + 1] = t.pass; zadd[#zadd + 1] = t.name end
  end
  if #zadd > 0 then rcall('ZADD', K.tiers, unpack(zadd)) end
  for tier, tvt in pairs(tenant_vt) do vts[#vts + 1] = 'vt:' .. tier; vts[#vts + 1] = tvt end
  rcall('HSET', K.meta, unpack(vts))
end
if leased > 0 then call_chunked('ZADD', K.leased, leased_seqs) end
for tier in pairs(touched) do trim_ready_log(tier, leased + 16, stale_log) end
flush()

if now - last_prune >= PRUNE_EVERY_MS then
  rcall('HSET', K.meta, 'pruned', now)
  for _, t in ipairs(tiers) do touched[t.name] = true end
  for tier in pairs(touched) do prune_idle(k_tenants_idle(tier), 'vt:' .. tier) end
  prune_idle(K.tidle, 'vt')
  rcall('ZREMRANGEBYSCORE', K.dead, '-inf', now - policy.retention)
  -- Nothing leased, so no tenant has leases out: heals counts that a lost record (lib.lua) left
  -- behind, which would otherwise hold a tenant at its cap for good.
  if rcall('EXISTS', K.leased) == 0 then rcall('DEL', K.tenant_leased) end
end

if next_due == nil then next_due = head_score(K.delayed) end
if next_deadline == nil then next_deadline = head_score(K.leased)
elseif leased > 0 then next_deadline = math.min(next_deadline or math.huge, deadline) end
local wake_at = math.min(next_due or math.huge, next_deadline or math.huge)
if wake_at ~= math.huge then out[1] = math.max(0, wake_at - now) end
return out
