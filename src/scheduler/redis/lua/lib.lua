--[[ lib.lua: shared by every script (prepended at load time; see ../scripts.ts).

Conventions of every script:
  KEYS[1]  sched:{<queue>}:meta   (routes the call to the queue's Cluster slot)
  ARGV[1]  queue name
  ARGV[2]  pinned time in ms, or '' for Redis's own clock (tests only pin it)
  ARGV[3]  tier weights and concurrency caps, `tier=weight[:cap],...`; an unlisted tier gets the
           smallest weight; a tier without a cap has no limit on its leased jobs in the queue
Failure codes (errors.ts ScriptCode): -1 no such job, -2 lease mismatch, -3 lease expired,
-4 wrong state.

Keys of a queue, all under the hash tag {<queue>} (mirrors keys.ts):
  :meta                hash   seq (job counter), vt (tier virtual time), vt:<tier> (tenant vt)
  :j:<seq>             hash   one job, fields below
  :d:<seq>             string its payload (apart, so the hash stays small and listpack-encoded)
  :tiers / :tidle      zset   active tiers -> pass, idle tiers -> last finish
  :tn:<tier>           zset   active tenants of a tier -> pass
  :tnidle:<tier>       zset   idle tenants of a tier -> last finish
  :q:<tier>:<tenant>   zset   ready jobs of a tenant -> (9 - priority) * 1e13 + seq
  :ready:<tier>        zset   ready jobs of a tier -> ready since (ms)
  :delayed             zset   scheduled jobs -> due time
  :leased              zset   leased jobs -> lease deadline
  :dead                zset   dead jobs -> time of death
  :count               hash   <state>:<tier> gauges (scheduled, leased, dead) and
                              <event>:<tier> totals (enqueued, acked, nacked, deadlettered, expired)
  :idem:<key>          string seq of the first job enqueued with that idempotency key
Job hash fields: t tenant, r tier, p priority, h headers (JSON), a attempt,
m max attempts, s state (P pending, S scheduled, L leased, D succeeded, X dead, C cancelled),
e enqueue time, u due time or lease deadline, l lease token, x last error, f finish time,
k idempotency key.

Fairness: stride scheduling (weighted fair queuing by finish tags) at two levels. Each active
member is scored by the virtual finish tag of its next lease; the lowest is served next and its
tag grows by its stride: STRIDE / weight for a tier, 1 for a tenant (round robin). The level's
virtual time is the start tag of the last lease served. A member that becomes active starts at
max(virtual time, its last finish): no banked credit, and no gain from going idle. Ties go to the
member whose name sorts first. A tier at its concurrency cap (`leased:<tier>` in :count) is
skipped by lease.lua but stays active; its tag is kept at or above vt + its stride meanwhile, so
it banks no credit either.
]]
local rcall = redis.call
local Q = ARGV[1]
local P = 'sched:{' .. Q .. '}'
local WAKE_CHANNEL = 'sched:wake'
local STRIDE = 1000000
local PRIORITY_BAND = 10000000000000

local K = {
  meta = KEYS[1],
  tiers = P .. ':tiers',
  tidle = P .. ':tidle',
  delayed = P .. ':delayed',
  leased = P .. ':leased',
  dead = P .. ':dead',
  count = P .. ':count',
}
local function k_job(seq) return P .. ':j:' .. seq end
local function k_payload(seq) return P .. ':d:' .. seq end
local function k_tenants(tier) return P .. ':tn:' .. tier end
local function k_tenants_idle(tier) return P .. ':tnidle:' .. tier end
local function k_tenant_queue(tier, tenant) return P .. ':q:' .. tier .. ':' .. tenant end
local function k_ready(tier) return P .. ':ready:' .. tier end
local function k_idem(key) return P .. ':idem:' .. key end

local function now_ms()
  if ARGV[2] ~= '' then return tonumber(ARGV[2]) end
  local t = rcall('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local weights, caps, min_weight = {}, {}, math.huge
for tier, w, cap in string.gmatch(ARGV[3], '([^,=]+)=(%d+):?(%d*)') do
  weights[tier] = tonumber(w)
  min_weight = math.min(min_weight, tonumber(w))
  if cap ~= '' then caps[tier] = tonumber(cap) end
end
local function tier_stride(tier) return STRIDE / (weights[tier] or min_weight) end

local function count(field, tier, by)
  rcall('HINCRBY', K.count, field .. ':' .. tier, by)
end

-- Stride bookkeeping shared by the tier and the tenant level.
local function activate(active, idle, vt_field, member, stride)
  if rcall('ZSCORE', active, member) then return end
  local start = tonumber(rcall('HGET', K.meta, vt_field) or '0')
  local last = rcall('ZSCORE', idle, member)
  if last then
    rcall('ZREM', idle, member)
    start = math.max(start, tonumber(last))
  end
  rcall('ZADD', active, start + stride, member)
end

local function deactivate(active, idle, member, pass)
  rcall('ZREM', active, member)
  rcall('ZADD', idle, pass, member)
end

-- The active member with the lowest finish tag, and that tag.
local function pick(active)
  local head = rcall('ZRANGE', active, 0, 0, 'WITHSCORES')
  if not head[1] then return nil end
  return head[1], tonumber(head[2])
end

-- Charges a served member: its next lease finishes one stride later, or it goes idle.
local function charge(active, idle, vt_field, member, finish, stride, still_active)
  rcall('HSET', K.meta, vt_field, finish - stride)
  if still_active then
    rcall('ZADD', active, finish + stride, member)
  else
    deactivate(active, idle, member, finish)
  end
end

-- Idle members whose last finish is behind the virtual time start at vt anyway: forget them.
local function prune_idle(idle, vt_field)
  local vt = rcall('HGET', K.meta, vt_field)
  if vt then rcall('ZREMRANGEBYSCORE', idle, '-inf', vt) end
end

local woke = false
local function wake()
  if woke then return end
  woke = true
  rcall('PUBLISH', WAKE_CHANNEL, Q)
end

-- A leased job of `tier` was settled or given back. If that freed a slot under the tier's cap
-- while it has ready jobs, waiting consumers must look again: nothing else would wake them.
local function freed_slot(tier)
  local cap = caps[tier]
  if not cap then return end
  local leased = tonumber(rcall('HGET', K.count, 'leased:' .. tier) or '0')
  if leased == cap - 1 and rcall('ZSCORE', K.tiers, tier) then wake() end
end

local function make_ready(seq, tier, tenant, priority, now)
  local job = k_job(seq)
  rcall('HSET', job, 's', 'P')
  rcall('HDEL', job, 'u', 'l')
  rcall('ZADD', k_tenant_queue(tier, tenant), (9 - priority) * PRIORITY_BAND + seq, seq)
  rcall('ZADD', k_ready(tier), now, seq)
  local was_empty = rcall('EXISTS', K.tiers) == 0
  activate(k_tenants(tier), k_tenants_idle(tier), 'vt:' .. tier, tenant, 1)
  activate(K.tiers, K.tidle, 'vt', tier, tier_stride(tier))
  if was_empty then wake() end
end

-- Takes a ready job out of the ready structures (cancel). A member left with nothing ready goes
-- idle with the finish tag of its next lease: it gives up at most one stride.
local function unready(seq, tier, tenant)
  local queue = k_tenant_queue(tier, tenant)
  rcall('ZREM', queue, seq)
  rcall('ZREM', k_ready(tier), seq)
  if rcall('EXISTS', queue) == 1 then return end
  local tpass = rcall('ZSCORE', k_tenants(tier), tenant)
  if tpass then deactivate(k_tenants(tier), k_tenants_idle(tier), tenant, tpass) end
  if rcall('EXISTS', k_tenants(tier)) == 1 then return end
  local pass = rcall('ZSCORE', K.tiers, tier)
  if pass then deactivate(K.tiers, K.tidle, tier, pass) end
end

-- A new earliest due time wakes consumers too, so idle ones re-arm their timers for it.
local function schedule(seq, tier, due)
  local head = rcall('ZRANGE', K.delayed, 0, 0, 'WITHSCORES')[2]
  if not head or due < tonumber(head) then wake() end
  rcall('HSET', k_job(seq), 's', 'S', 'u', due)
  rcall('HDEL', k_job(seq), 'l')
  rcall('ZADD', K.delayed, due, seq)
  count('scheduled', tier, 1)
end

local function finish(seq, state, now, retention_ms)
  local job = k_job(seq)
  rcall('HSET', job, 's', state, 'f', now)
  rcall('HDEL', job, 'u', 'l')
  if retention_ms > 0 then
    rcall('PEXPIRE', job, retention_ms)
    rcall('PEXPIRE', k_payload(seq), retention_ms)
  else
    rcall('DEL', job, k_payload(seq))
  end
end

local function bury(seq, tier, now, retention_ms)
  rcall('ZADD', K.dead, now, seq)
  count('dead', tier, 1)
  count('deadlettered', tier, 1)
  finish(seq, 'X', now, retention_ms)
end

-- Capped exponential backoff with "equal jitter": half fixed, half random. `jitter` in [0, 1).
local function backoff_ms(attempt, base, cap, jitter)
  local full = math.min(cap, base * 2 ^ math.max(attempt - 1, 0))
  return math.floor(full / 2 + full / 2 * jitter)
end

-- After a failed attempt (nack or expired lease): retry later, or dead-letter.
-- delay < 0 means "by the backoff policy". Returns the new state and the due time.
local function retry_or_bury(seq, now, err, delay, no_retry, policy)
  local job = k_job(seq)
  local f = rcall('HMGET', job, 'r', 't', 'p', 'a', 'm')
  local tier, tenant, priority = f[1], f[2], tonumber(f[3])
  local attempt, max_attempts = tonumber(f[4]), tonumber(f[5])
  rcall('HSET', job, 'x', err)
  if no_retry or attempt >= max_attempts then
    bury(seq, tier, now, policy.retention)
    return 'X', now
  end
  if delay < 0 then delay = backoff_ms(attempt, policy.base, policy.cap, policy.jitter) end
  if delay == 0 then
    make_ready(seq, tier, tenant, priority, now)
    return 'P', now
  end
  schedule(seq, tier, now + delay)
  return 'S', now + delay
end

-- Checks the fence of a settle operation (ack, nack, extend). Returns the job's tier, or a code.
local function check_lease(seq, token, now)
  local f = rcall('HMGET', k_job(seq), 's', 'l', 'u', 'r')
  if not f[1] then return nil, -1 end
  if f[1] ~= 'L' or f[2] ~= token then return nil, -2 end
  if tonumber(f[3]) < now then return nil, -3 end
  return f[4]
end
