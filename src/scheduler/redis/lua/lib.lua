--[[ lib.lua: shared by every script (prepended at load time; see ../scripts.ts).

Conventions of every script:
  KEYS[1]  sched:{<queue>}:meta   (routes the call to the queue's Cluster slot)
  ARGV[1]  queue name
  ARGV[2]  pinned time in ms, or '' for Redis's own clock (tests only pin it)
  ARGV[3]  tier weights and concurrency caps, `tier=weight[:cap],...[;tenant cap]`; an unlisted
           tier gets the smallest weight; a tier without a cap has no limit on its leased jobs in
           the queue; the tenant cap (TENANT_CONCURRENCY) applies to every tenant without one of
           its own in :tcap
Failure codes (errors.ts ScriptCode): -1 no such job, -2 lease mismatch, -3 lease expired,
-4 wrong state.

Keys of a queue, all under the hash tag {<queue>} (mirrors keys.ts):
  :meta                hash   seq (job counter), vt (tier virtual time), vt:<tier> (tenant vt),
                              pruned (when lease.lua last pruned idle members)
  :j:<seq>             string one job, the record below: one key per job, ~60 bytes besides
                              the payload
  :tiers / :tidle      zset   active tiers -> pass, idle tiers -> last finish
  :tn:<tier>           zset   active tenants of a tier -> pass
  :tnidle:<tier>       zset   idle tenants of a tier -> last finish
  :pri:<tier>:<tenant> zset   the priorities a tenant has ready jobs at -> 9 - priority
  :q:<tier>:<tenant>:<priority>
                       list   a tenant's ready jobs at one priority, seqs, next first: new, due
                              and redriven jobs join the back; a retried or released job goes to
                              the front (it was tried before any job waiting there)
  :rlog:<tier>         list   `<seq>:<ready since>` in the order jobs became ready; an entry
                              is stale once its job is no longer ready since that time, and
                              stale heads are trimmed lazily (lease.lua, stats.lua): it gives the
                              oldest ready job at ~20 bytes a job instead of a sorted set's ~100
  :delayed             zset   scheduled jobs -> due time
  :leased              zset   leased jobs -> lease deadline
  :dead                zset   dead jobs -> time of death
  :count               hash   <state>:<tier> gauges (pending, scheduled, leased, dead) and
                              <event>:<tier> totals (enqueued, acked, nacked, deadlettered, expired)
  :idem:<key>          string seq of the first job enqueued with that idempotency key
  :ptn                 set    tenants paused one by one (pause.lua); meta `ptn` holds their
                              number and meta `paused` is 1 while the whole queue is paused
  :tcap                hash   tenant -> its own concurrency cap (0: none), from the tier source;
                              written by the server (store.ts), only for tenants that have one
  :tleased             hash   tenant -> its jobs leased now, counted while a cap is in force
                              (dropped by lease.lua whenever nothing is leased)

The job record (codec.ts reads it; offsets 0-based as SETRANGE counts them). Numbers are base 36,
zero-padded: 9 digits of milliseconds last until the year 5188.
  0  s  state, 1 char: P pending, S scheduled, L leased, D succeeded, X dead, C cancelled
  1  a  attempt, 2 digits
  3  u  by state: ready since (P), due (S), lease deadline (L), finish time (D, X, C); 9 digits
  12 l  lease token, 10 chars, meaningful while leased only
  22 e  enqueue time, 9 digits
  31 p  priority, 1 digit, 0-9
  32 m  max attempts, 2 digits
  34 tier, tenant, idempotency key, headers JSON, last error: each as `<length>:<bytes>`
     then the payload, to the end
s, a, u and l come first so that a lease rewrites them with one SETRANGE. Everything from p on
(the tail) is encoded by the server (codec.ts encodeTail); enqueue.lua only writes the head.

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

local K = {
  meta = KEYS[1],
  tiers = P .. ':tiers',
  tidle = P .. ':tidle',
  delayed = P .. ':delayed',
  leased = P .. ':leased',
  dead = P .. ':dead',
  count = P .. ':count',
  paused_tenants = P .. ':ptn',
  tenant_caps = P .. ':tcap',
  tenant_leased = P .. ':tleased',
}
local function k_job(seq) return P .. ':j:' .. seq end
local function k_tenants(tier) return P .. ':tn:' .. tier end
local function k_tenants_idle(tier) return P .. ':tnidle:' .. tier end
local function k_priorities(tier, tenant) return P .. ':pri:' .. tier .. ':' .. tenant end
local function k_band(tier, tenant, priority)
  return P .. ':q:' .. tier .. ':' .. tenant .. ':' .. priority
end
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
local default_tenant_cap = tonumber(string.match(ARGV[3], ';(%d+)$'))

-- The job record (layout above). ------------------------------------------------------------
local DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz'
local NO_TOKEN = '----------'

-- `n` (a non-negative integer) in base 36, zero-padded to `width` digits.
local function b36(n, width)
  local s = ''
  while n > 0 do
    local d = n % 36
    s = string.sub(DIGITS, d + 1, d + 1) .. s
    n = (n - d) / 36
  end
  if #s > width then error('record field overflow: ' .. s) end
  return string.rep('0', width - #s) .. s
end

local function field(s) return #s .. ':' .. s end

-- A time as records and ready-log entries write it; a script writes the same few many times.
local time_texts = {}
local function time_text(ms)
  local text = time_texts[ms]
  if not text then
    text = b36(ms, 9)
    time_texts[ms] = text
  end
  return text
end

local function new_record(state, since, now, tail)
  return state .. '00' .. time_text(since) .. NO_TOKEN .. time_text(now) .. tail
end

-- Where the text fields start (1-based) in a record, and in a tail as the server sends it.
local RECORD_FIELDS, TAIL_FIELDS = 35, 4

-- The first `n` text fields of a record (or of a tail, from TAIL_FIELDS), and where each
-- starts; the payload follows the 5th.
local function record_fields(rec, n, from)
  local values, starts, pos = {}, {}, from or RECORD_FIELDS
  for i = 1, n do
    local colon = string.find(rec, ':', pos, true)
    local len = tonumber(string.sub(rec, pos, colon - 1))
    starts[i] = pos
    values[i] = string.sub(rec, colon + 1, colon + len)
    pos = colon + len + 1
  end
  return values, starts, pos
end

-- The head fields a SETRANGE at 0 rewrites (state, attempt, time), read from a whole record or
-- from its first HEAD_END + 1 bytes; the time as stored (9 base-36 digits).
local HEAD_END = 11
local function rec_state(rec) return string.sub(rec, 1, 1) end
local function rec_attempt(rec) return tonumber(string.sub(rec, 2, 3), 36) end
local function rec_time(rec) return string.sub(rec, 4, 12) end

-- A job's record with its fixed fields and tier and tenant decoded, or nil.
local function load_job(seq)
  local rec = rcall('GET', k_job(seq))
  if not rec then return nil end
  local names = record_fields(rec, 2)
  return {
    rec = rec,
    s = rec_state(rec),
    a = rec_attempt(rec),
    u = tonumber(rec_time(rec), 36),
    l = string.sub(rec, 13, 22),
    p = tonumber(string.sub(rec, 32, 32)),
    m = tonumber(string.sub(rec, 33, 34), 36),
    tier = names[1],
    tenant = names[2],
  }
end

-- A job listed in a structure has no record: only possible when something outside these scripts
-- deleted or evicted it (Redis must run with noeviction). The caller drops it from the structure
-- and carries on, so one lost record cannot stop a queue; Redis's log says which.
local function lost_record(seq, where)
  redis.log(redis.LOG_WARNING, 'scheduler: ' .. k_job(seq) .. ' in ' .. where ..
    ' has no record (deleted or evicted?); dropped')
end

-- Writes a record's state, attempt (2 base-36 digits) and time field (u): one SETRANGE.
local function write_head(key, state, attempt, at_text)
  rcall('SETRANGE', key, 0, state .. attempt .. at_text)
end

-- Writes a loaded job's state, its attempt (job.a) and its time field (u).
local function stamp(seq, job, state, at)
  write_head(k_job(seq), state, b36(job.a, 2), time_text(at))
end

local function set_last_error(seq, job, err)
  local _, starts, payload_at = record_fields(job.rec, 5)
  job.rec = string.sub(job.rec, 1, starts[5] - 1) .. field(err) .. string.sub(job.rec, payload_at)
  rcall('SET', k_job(seq), job.rec)
end
-----------------------------------------------------------------------------------------------

-- Counter changes are summed in the script and written once per field by flush().
local deltas, delta_names = {}, {}
local function count(name, tier, by)
  local key = name .. ':' .. tier
  if deltas[key] == nil then
    deltas[key] = 0
    delta_names[#delta_names + 1] = key
  end
  deltas[key] = deltas[key] + by
end

-- A counter's value, changes of this script included.
local function counter(name, tier)
  local key = name .. ':' .. tier
  return tonumber(rcall('HGET', K.count, key) or '0') + (deltas[key] or 0)
end

-- `cmd key args...` in chunks: Lua's unpack has a limit of a few thousand values. Returns the
-- last chunk's reply.
local function call_chunked(cmd, key, args)
  local reply
  for i = 1, #args, 1000 do reply = rcall(cmd, key, unpack(args, i, math.min(i + 999, #args))) end
  return reply
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

-- Jobs made ready by this script, applied by flush_ready(): one push per priority band, one
-- RPUSH per tier's ready log and one activation per tenant and tier, however many jobs.
local bands, band_keys, ready_logs, ready_log_tiers = {}, {}, {}, {}

-- `job`: tier, tenant, priority (p) and attempt (a). `fresh`: the caller wrote s=P and u=now
-- into the record.
-- `back`: join the back of the band (new, due, redriven), else the front (retried, released).
local function make_ready(seq, job, now, fresh, back)
  if not fresh then stamp(seq, job, 'P', now) end
  local tier = job.tier
  local key = k_band(tier, job.tenant, job.p)
  local band = bands[key]
  if not band then
    band = { tier = tier, tenant = job.tenant, priority = job.p, back = {}, front = {} }
    bands[key] = band
    band_keys[#band_keys + 1] = key
  end
  local side = back and band.back or band.front
  side[#side + 1] = seq
  if not ready_logs[tier] then
    ready_logs[tier] = {}
    ready_log_tiers[#ready_log_tiers + 1] = tier
  end
  local log = ready_logs[tier]
  log[#log + 1] = seq .. ':' .. time_text(now)
  count('pending', tier, 1)
end

local function flush_ready()
  if #band_keys == 0 then return end
  local was_empty = rcall('EXISTS', K.tiers) == 0
  for _, key in ipairs(band_keys) do
    local band = bands[key]
    local length
    if #band.back > 0 then length = call_chunked('RPUSH', key, band.back) end
    if #band.front > 0 then
      -- LPUSH puts its last argument first: reversed, the first to come back leads.
      local front = {}
      for i = #band.front, 1, -1 do front[#front + 1] = band.front[i] end
      length = call_chunked('LPUSH', key, front)
    end
    -- A band that was empty is new to the tenant's priorities, and the tenant may be idle.
    if length == #band.back + #band.front then
      local tier = band.tier
      rcall('ZADD', k_priorities(tier, band.tenant), 9 - band.priority, band.priority)
      activate(k_tenants(tier), k_tenants_idle(tier), 'vt:' .. tier, band.tenant, 1)
    end
  end
  for _, tier in ipairs(ready_log_tiers) do
    call_chunked('RPUSH', k_ready_log(tier), ready_logs[tier])
    activate(K.tiers, K.tidle, 'vt', tier, tier_stride(tier))
  end
  bands, band_keys, ready_logs, ready_log_tiers = {}, {}, {}, {}
  if was_empty then wake() end
end

-- Per-tenant concurrency caps. -----------------------------------------------------------------
-- Whether any tenant cap applies in this queue: a default, or some tenant's own (:tcap).
local has_own_caps
local function tenant_caps_in_force()
  if has_own_caps == nil then has_own_caps = rcall('EXISTS', K.tenant_caps) == 1 end
  return default_tenant_cap ~= nil or has_own_caps
end

-- A tenant's cap in this queue: its own (:tcap, 0 meaning none) or the default; nil for none.
local function tenant_cap(tenant)
  if not tenant_caps_in_force() then return nil end
  local cap = has_own_caps and rcall('HGET', K.tenant_caps, tenant)
  cap = cap and tonumber(cap) or default_tenant_cap
  if cap == 0 then return nil end
  return cap
end

-- Changes to tenants' leased counts (:tleased), summed per script and written by flush().
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
        local now_leased = rcall('HINCRBY', K.tenant_leased, tenant, by)
        if now_leased < 0 then
          rcall('HSET', K.tenant_leased, tenant, 0)
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
-----------------------------------------------------------------------------------------------

-- Applies what this script buffered: jobs made ready, then counter changes. Every script that
-- changes either calls it before it returns.
local function flush()
  flush_ready()
  for _, key in ipairs(delta_names) do
    if deltas[key] ~= 0 then rcall('HINCRBY', K.count, key, deltas[key]) end
  end
  deltas, delta_names = {}, {}
  flush_tenant_leased()
end

-- Drops stale entries from the head of a tier's ready log, `limit` at most (entries in `stale`
-- are known stale without a look at their job), and returns the ready-since time of the first
-- live one, or nil when none was seen.
local function trim_ready_log(tier, limit, stale)
  local key = k_ready_log(tier)
  local dropped, since = 0, nil
  for _, entry in ipairs(rcall('LRANGE', key, 0, limit - 1)) do
    if not (stale and stale[entry]) then
      local seq, at = string.match(entry, '^(%d+):(%w+)$')
      local head = rcall('GETRANGE', k_job(seq), 0, HEAD_END)
      if rec_state(head) == 'P' and rec_time(head) == at then
        since = tonumber(at, 36)
        break
      end
    end
    dropped = dropped + 1
  end
  if dropped > 0 then rcall('LTRIM', key, dropped, -1) end
  return since
end

-- After jobs left a band other than by a lease: an emptied band leaves its tenant's priorities,
-- an emptied tenant goes idle, an emptied tier too (with the finish tag of its next lease).
local function drop_if_empty(tier, tenant, priority)
  local priorities = k_priorities(tier, tenant)
  if rcall('EXISTS', k_band(tier, tenant, priority)) == 1 then return end
  rcall('ZREM', priorities, priority)
  if rcall('EXISTS', priorities) == 1 then return end
  local tpass = rcall('ZSCORE', k_tenants(tier), tenant)
  if tpass then deactivate(k_tenants(tier), k_tenants_idle(tier), tenant, tpass) end
  if rcall('EXISTS', k_tenants(tier)) == 1 then return end
  local pass = rcall('ZSCORE', K.tiers, tier)
  if pass then deactivate(K.tiers, K.tidle, tier, pass) end
end

-- Takes a ready job out of the ready structures (cancel). LREM walks the band up to the job.
-- A member left with nothing ready goes idle with the finish tag of its next lease: it gives up
-- at most one stride.
local function unready(seq, job)
  local band = k_band(job.tier, job.tenant, job.p)
  rcall('LREM', band, 1, seq)
  count('pending', job.tier, -1)
  drop_if_empty(job.tier, job.tenant, job.p)
end

-- A new earliest due time wakes consumers too, so idle ones re-arm their timers for it.
-- `fresh`: the caller already wrote s=S and u=due into the record.
local function schedule(seq, job, due, fresh)
  local head = rcall('ZRANGE', K.delayed, 0, 0, 'WITHSCORES')[2]
  if not head or due < tonumber(head) then wake() end
  if not fresh then stamp(seq, job, 'S', due) end
  rcall('ZADD', K.delayed, due, seq)
  count('scheduled', job.tier, 1)
end

-- A job reached a final state (succeeded, dead, cancelled) at `at_text`: its head says so and the
-- record expires after the retention period, or goes now when there is none. `attempt` is the
-- head's two attempt digits, so a caller holding the record as read need not decode it (ack.lua).
local function close_record(key, attempt, state, at_text, retention_ms)
  if retention_ms > 0 then
    write_head(key, state, attempt, at_text)
    rcall('PEXPIRE', key, retention_ms)
  else
    rcall('DEL', key)
  end
end

local function finish(seq, job, state, now, retention_ms)
  close_record(k_job(seq), b36(job.a, 2), state, time_text(now), retention_ms)
end

local function bury(seq, job, now, retention_ms)
  rcall('ZADD', K.dead, now, seq)
  count('dead', job.tier, 1)
  count('deadlettered', job.tier, 1)
  finish(seq, job, 'X', now, retention_ms)
end

-- Capped exponential backoff with "equal jitter": half fixed, half random. `jitter` in [0, 1).
local function backoff_ms(attempt, base, cap, jitter)
  local full = math.min(cap, base * 2 ^ math.max(attempt - 1, 0))
  return math.floor(full / 2 + full / 2 * jitter)
end

-- After a failed attempt (nack or expired lease) of a loaded `job`: retry later, or dead-letter.
-- delay < 0 means "by the backoff policy". Returns the new state and the due time.
local function retry_or_bury(seq, job, now, err, delay, no_retry, policy)
  set_last_error(seq, job, err)
  if no_retry or job.a >= job.m then
    bury(seq, job, now, policy.retention)
    return 'X', now
  end
  if delay < 0 then delay = backoff_ms(job.a, policy.base, policy.cap, policy.jitter) end
  if delay == 0 then
    make_ready(seq, job, now)
    return 'P', now
  end
  schedule(seq, job, now + delay)
  return 'S', now + delay
end

-- The fence of a settle operation (ack, nack, extend, release), read off a record's head: 0 when
-- `token` holds the job's lease at `now`, else -2 (not leased, or leased with another token) or
-- -3 (the lease expired).
local function fence(rec, token, now)
  if rec_state(rec) ~= 'L' or string.sub(rec, 13, 22) ~= token then return -2 end
  if tonumber(rec_time(rec), 36) < now then return -3 end
  return 0
end

-- Checks the fence of a settle operation. Returns the loaded job, or nil and a code.
local function check_lease(seq, token, now)
  local job = load_job(seq)
  if not job then return nil, -1 end
  local code = fence(job.rec, token, now)
  if code < 0 then return nil, code end
  return job
end
