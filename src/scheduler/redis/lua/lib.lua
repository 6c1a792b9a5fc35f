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
  :meta                hash   seq (job counter), vt (tier virtual time), vt:<tier> (tenant vt),
                              pruned (when lease.lua last pruned idle members)
  :j:<seq>             hash   one job, fields below
  :d:<seq>             string its payload (apart, so the hash stays small and listpack-encoded)
  :tiers / :tidle      zset   active tiers -> pass, idle tiers -> last finish
  :tn:<tier>           zset   active tenants of a tier -> pass
  :tnidle:<tier>       zset   idle tenants of a tier -> last finish
  :q:<tier>:<tenant>   zset   ready jobs of a tenant -> (9 - priority) * 1e13 + seq
  :rlog:<tier>         list   `<seq>:<ready since ms>` in the order jobs became ready; an entry
                              is stale once its job is no longer ready since that time, and
                              stale heads are trimmed lazily (lease.lua, stats.lua): it gives the
                              oldest ready job at ~20 bytes a job instead of a sorted set's ~100
  :delayed             zset   scheduled jobs -> due time
  :leased              zset   leased jobs -> lease deadline
  :dead                zset   dead jobs -> time of death
  :count               hash   <state>:<tier> gauges (pending, scheduled, leased, dead) and
                              <event>:<tier> totals (enqueued, acked, nacked, deadlettered, expired)
  :idem:<key>          string seq of the first job enqueued with that idempotency key
Job hash fields: t tenant, r tier, p priority, h headers (JSON), a attempt,
m max attempts, s state (P pending, S scheduled, L leased, D succeeded, X dead, C cancelled),
e enqueue time, u ready since, due time or lease deadline (by state), l lease token (meaningful
while leased only), x last error, f finish time,
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
local function k_ready_log(tier) return P .. ':rlog:' .. tier end
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

-- Counter changes are summed in the script and written once per field by flush().
local deltas, delta_names = {}, {}
local function count(field, tier, by)
  local name = field .. ':' .. tier
  if deltas[name] == nil then
    deltas[name] = 0
    delta_names[#delta_names + 1] = name
  end
  deltas[name] = deltas[name] + by
end

-- A counter's value, changes of this script included.
local function counter(field, tier)
  local name = field .. ':' .. tier
  return tonumber(rcall('HGET', K.count, name) or '0') + (deltas[name] or 0)
end

-- `cmd key args...` in chunks: Lua's unpack has a limit of a few thousand values.
local function call_chunked(cmd, key, args)
  for i = 1, #args, 1000 do rcall(cmd, key, unpack(args, i, math.min(i + 999, #args))) end
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
  if counter('leased', tier) == cap - 1 and rcall('ZSCORE', K.tiers, tier) then wake() end
end

-- Jobs made ready by this script, applied by flush(): one ZADD per tenant queue, one RPUSH per
-- tier's ready log and one activation per tenant and tier, however many jobs.
local ready_queues, ready_queue_keys, ready_logs, ready_log_tiers = {}, {}, {}, {}

-- `fresh`: the caller already wrote s=P and u=now into the job hash.
local function make_ready(seq, tier, tenant, priority, now, fresh)
  if not fresh then rcall('HSET', k_job(seq), 's', 'P', 'u', now) end
  local key = k_tenant_queue(tier, tenant)
  local queue = ready_queues[key]
  if not queue then
    queue = { tier = tier, tenant = tenant, args = {} }
    ready_queues[key] = queue
    ready_queue_keys[#ready_queue_keys + 1] = key
  end
  queue.args[#queue.args + 1] = (9 - priority) * PRIORITY_BAND + seq
  queue.args[#queue.args + 1] = seq
  if not ready_logs[tier] then
    ready_logs[tier] = {}
    ready_log_tiers[#ready_log_tiers + 1] = tier
  end
  local log = ready_logs[tier]
  log[#log + 1] = seq .. ':' .. now
  count('pending', tier, 1)
end

local function flush_ready()
  if #ready_queue_keys == 0 then return end
  local was_empty = rcall('EXISTS', K.tiers) == 0
  for _, key in ipairs(ready_queue_keys) do
    local queue = ready_queues[key]
    call_chunked('ZADD', key, queue.args)
    local tier = queue.tier
    activate(k_tenants(tier), k_tenants_idle(tier), 'vt:' .. tier, queue.tenant, 1)
  end
  for _, tier in ipairs(ready_log_tiers) do
    call_chunked('RPUSH', k_ready_log(tier), ready_logs[tier])
    activate(K.tiers, K.tidle, 'vt', tier, tier_stride(tier))
  end
  ready_queues, ready_queue_keys, ready_logs, ready_log_tiers = {}, {}, {}, {}
  if was_empty then wake() end
end

-- Applies what this script buffered: jobs made ready, then counter changes. Every script that
-- changes either calls it before it returns.
local function flush()
  flush_ready()
  for _, name in ipairs(delta_names) do
    if deltas[name] ~= 0 then rcall('HINCRBY', K.count, name, deltas[name]) end
  end
  deltas, delta_names = {}, {}
end

-- Drops stale entries from the head of a tier's ready log, `limit` at most (entries in `stale`
-- are known stale without a look at their job), and returns the ready-since time of the first
-- live one, or nil when none was seen.
local function trim_ready_log(tier, limit, stale)
  local key = k_ready_log(tier)
  local dropped, since = 0, nil
  for _, entry in ipairs(rcall('LRANGE', key, 0, limit - 1)) do
    if not (stale and stale[entry]) then
      local seq, at = string.match(entry, '^(%d+):(%d+)$')
      local f = rcall('HMGET', k_job(seq), 's', 'u')
      if f[1] == 'P' and f[2] == at then
        since = tonumber(at)
        break
      end
    end
    dropped = dropped + 1
  end
  if dropped > 0 then rcall('LTRIM', key, dropped, -1) end
  return since
end

-- Takes a ready job out of the ready structures (cancel). A member left with nothing ready goes
-- idle with the finish tag of its next lease: it gives up at most one stride.
local function unready(seq, tier, tenant)
  local queue = k_tenant_queue(tier, tenant)
  rcall('ZREM', queue, seq)
  count('pending', tier, -1)
  if rcall('EXISTS', queue) == 1 then return end
  local tpass = rcall('ZSCORE', k_tenants(tier), tenant)
  if tpass then deactivate(k_tenants(tier), k_tenants_idle(tier), tenant, tpass) end
  if rcall('EXISTS', k_tenants(tier)) == 1 then return end
  local pass = rcall('ZSCORE', K.tiers, tier)
  if pass then deactivate(K.tiers, K.tidle, tier, pass) end
end

-- A new earliest due time wakes consumers too, so idle ones re-arm their timers for it.
-- `fresh`: the caller already wrote s=S and u=due into the job hash.
local function schedule(seq, tier, due, fresh)
  local head = rcall('ZRANGE', K.delayed, 0, 0, 'WITHSCORES')[2]
  if not head or due < tonumber(head) then wake() end
  if not fresh then rcall('HSET', k_job(seq), 's', 'S', 'u', due) end
  rcall('ZADD', K.delayed, due, seq)
  count('scheduled', tier, 1)
end

local function finish(seq, state, now, retention_ms)
  local job = k_job(seq)
  rcall('HSET', job, 's', state, 'f', now)
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
