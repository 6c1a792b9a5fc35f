--[[ lease.lua: moves due delayed jobs and expired leases back (a bounded number per call), then
leases up to `count` ready jobs by the fairness policy. A tier with a concurrency cap (ARGV[3])
that has that many jobs leased in this queue is skipped for this call but stays active, so it is
served again as soon as an ack frees a slot; like an idle tier it banks no credit meanwhile.
A paused queue (pause.lua) leases nothing but still moves due work; held_back.lua skips tenants.
KEYS: the queue's fixed keys                    ARGV[1] key prefix      ARGV[2] pinned time or ''
ARGV[3] tiers (keys.lua, clock.lua, tiers.lua)  ARGV[4] count
ARGV[5] visibility (ms): one for every job, or `v1,v2,...`, the i-th leased job's (streams of
        one queue with different timeouts share one call)
ARGV[6] lease tokens, TOKEN_CHARS (12) each, one per job that may be leased: every
        lease gets its own 72 random bits, cut from one string     ARGV[7] max moves
ARGV[8] backoff base    ARGV[9] backoff cap     ARGV[10] jitter in [0, 1)
ARGV[11] retention of dead jobs (ms)    ARGV[12] retention of acked jobs (ms)
ARGV[13..] acks to apply first (includes/acks.lua): seq, lease token, result, seq, token, result...
Returns {ms until the next due job, lease deadline or dead job past retention (-1: none), n,
1 if that time is earlier than the queue's earliest due time before this call (the upkeep index
must hear of it, ../upkeep-index.ts) else 0, then n times: seq, head, record, then one code per
ack} (the head as leased: state, attempt, deadline and token rewritten, to lay over the record as
read; includes/record.lua).

Cost: per leased job, seven commands (pick the tenant, its best priority, pop the job, is that
band empty (if so: drop the priority, is the tenant empty, is the tier empty), read the record,
rewrite its head, charge the tenant). The tiers (a handful) are read once and written back
once; the virtual times, the leased set and the counters once per call. Idle members are pruned
at most once a second per queue: they only cost memory. Dead jobs past retention leave when due
(a bounded number per call), with their tier's count. With count 0 it is the queue's upkeep
(redis/upkeep.ts): due work moved, nothing leased. Tenant caps: one EXISTS per call when none is
in force; with one, per tenant and call three commands (cap, count, HINCRBY).
]]
--- @include "acks"
--- @include "fairness"
--- @include "ready"
--- @include "ready_log"
--- @include "due_work"
--- @include "held_back"
local now = now_ms()
local count_wanted = tonumber(ARGV[4])
local visibilities = {}
for v in string.gmatch(ARGV[5], '[^,]+') do visibilities[#visibilities + 1] = tonumber(v) end
local function visibility_of(k) return visibilities[k] or visibilities[1] end
local max_moves = tonumber(ARGV[7])
local policy = { base = tonumber(ARGV[8]), cap = tonumber(ARGV[9]), jitter = tonumber(ARGV[10]),
  jitter_base = tonumber(ARGV[10]), retention = tonumber(ARGV[11]) }
local PRUNE_EVERY_MS = 1000

-- The worker's acks first: the slots they free are leased below (the tenants' leased counts
-- are written before the loop reads them). The earliest lease deadline as it was before them is
-- what the upkeep index was told (see `out[3]` below); move_due_work reads it after them.
local acks_before = #ARGV >= 13 and (head_score(K.leased) or math.huge)
local ack_codes = acks_before and ack_leases(13, now, tonumber(ARGV[12])) or {}
local next_due, next_deadline, moved = move_due_work(now, max_moves, policy)
flush_tenant_leased()
local due_before = math.min(next_due or math.huge, acks_before or next_deadline or math.huge)

-- The active tiers, kept here while leasing and written back at the end.
local tiers = {}
do
  local flat = rcall('ZRANGE', K.tiers, '0', '-1', 'WITHSCORES')
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

local meta = rcall('HMGET', K.meta, 'vt', 'pruned', 'paused', 'ptn')
local vt, last_prune = tonumber(meta[1] or '0'), tonumber(meta[2] or '0')
if meta[3] then count_wanted = 0 end -- the whole queue is paused
load_paused_tenants(meta[4])
local tenant_vt = {}
local out = { -1, 0, 0 }
local leased_seqs = {}
local stale_log = {}
local touched = {}
local leased = 0
local first_deadline = math.huge
-- Per tier: jobs leased by this call, counted once at the end.
local leased_of = {}
while leased < count_wanted do
  local t = pick_tier()
  if not t then break end
  local tier = t.name
  local tenants = t.tenants
  local tenant, tfinish = pick_tenant(t)
  local priorities = tenant and k_priorities(tier, tenant)
  local priority = priorities and rcall('ZRANGE', priorities, '0', '0')[1]
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
    local deadline = now + visibility_of(leased)
    first_deadline = math.min(first_deadline, deadline)
    local tenant_has_more = true
    if rcall('EXISTS', band) == 0 then
      rcall('ZREM', priorities, priority)
      tenant_has_more = rcall('EXISTS', priorities) == 1
    end
    stale_log[seq .. ':' .. rec_time(rec)] = true
    local head = 'L' .. b36(rec_attempt(rec) + 1, ATTEMPT_WIDTH) .. time_text(deadline) ..
        string.sub(ARGV[6], (leased - 1) * TOKEN_CHARS + 1, leased * TOKEN_CHARS)
    rcall('SETRANGE', key, '0', head)
    changed(seq)
    leased_seqs[#leased_seqs + 1] = num(deadline)
    leased_seqs[#leased_seqs + 1] = seq
    leased_of[tier] = (leased_of[tier] or 0) + 1
    count_busy(tier, tenant)
    if caps[tier] then
      in_flight[tier] = in_flight[tier] + 1
      if in_flight[tier] >= caps[tier] then capped[tier] = true end
    end
    -- The record as read and its new head apart: the server lays one over the other, so a large
    -- payload is not copied again here.
    out[#out + 1] = seq; out[#out + 1] = head; out[#out + 1] = rec
    tenant_vt[tier] = tfinish - 1
    if tenant_has_more then
      rcall('ZADD', tenants, num(tfinish + 1), tenant)
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
      rcall('ZADD', K.tidle, num(t.pass), tier)
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
-- A lease deadline earlier than anything due before, or moved work: the upkeep index must know.
if moved or first_deadline < due_before then out[3] = 1 end
for tier, n in pairs(leased_of) do
  count('leased', tier, n)
  count('dispatched', tier, n)
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

requeue_held_back(tenant_vt)

if leased > 0 or next(capped) ~= nil then
  local zadd, vts = {}, { 'vt', num(vt) }
  for _, t in ipairs(tiers) do
    if t.active ~= false then zadd[#zadd + 1] = num(t.pass); zadd[#zadd + 1] = t.name end
  end
  if #zadd > 0 then rcall('ZADD', K.tiers, unpack(zadd)) end
  for tier, tvt in pairs(tenant_vt) do vts[#vts + 1] = 'vt:' .. tier; vts[#vts + 1] = num(tvt) end
  rcall('HSET', K.meta, unpack(vts))
end
if leased > 0 then call_chunked('ZADD', K.leased, leased_seqs) end
for tier in pairs(touched) do tidy_ready_log(tier, leased + 16, stale_log) end
flush()
flush_tenant_leased()

if now - last_prune >= PRUNE_EVERY_MS then
  rcall('HSET', K.meta, 'pruned', now)
  for _, t in ipairs(tiers) do touched[t.name] = true end
  for tier in pairs(touched) do prune_idle(k_tenants_idle(tier), 'vt:' .. tier) end
  prune_idle(K.tidle, 'vt')
  -- Nothing leased: heals tenant counts a lost record left behind (else held at the cap for good).
  if rcall('EXISTS', K.leased) == 0 then rcall('DEL', K.tenant_leased) end
end

local next_dead = expire_dead(now, policy.retention, max_moves)

if next_due == nil then next_due = head_score(K.delayed) end
if next_deadline == nil then next_deadline = head_score(K.leased)
elseif leased > 0 then next_deadline = math.min(next_deadline or math.huge, first_deadline) end
local wake_at = math.min(next_due or math.huge, next_deadline or math.huge, next_dead or math.huge)
if wake_at ~= math.huge then out[1] = math.max(0, wake_at - now) end
for _, code in ipairs(ack_codes) do out[#out + 1] = code end
return out
