--[[ keys.lua: the keys of a queue. Every script on a queue includes it.

KEYS: the queue's fixed keys, built by keys.ts (queueKeys, QUEUE_KEY_NAMES) in the order of K
below; the first, the meta key, routes the call to the queue's Cluster slot. All share the hash
tag {<queue>}.
ARGV[1]: the queue's key prefix, `sched:{<queue>}` (keys.ts queuePrefix). Keys that depend on a
job, tier or tenant are built from it here, and only here; it must be the prefix of KEYS[1], so
they share its hash tag (checked below: a script never touches another slot).

Keys of a queue (* marks the fixed ones, passed in KEYS):
  :meta *              hash   seq (job counter), vt (tier virtual time), vt:<tier> (tenant vt),
                              pruned (when lease.lua last pruned idle members)
  :tiers / :tidle *    zset   active tiers -> pass, idle tiers -> last finish
  :delayed *           zset   scheduled jobs -> due time
  :leased *            zset   leased jobs -> lease deadline
  :dead *              zset   dead jobs -> time of death
  :count *             hash   <state>:<tier> gauges (pending, scheduled, leased, dead) and
                              <event>:<tier> totals (enqueued, dispatched, acked, nacked,
                              deadlettered, expired)
  :rates *             list   `<time>:<enqueued>:<dispatched>` samples of the queue's totals,
                              oldest first, one per 5 s at most, the last 13 (stats.lua)
  :schedules *         zset   the queue's schedule ids, all scored 0 (paged by id)
  :schedules:due *     zset   active schedules -> next run time (K.schedules_due)
  :watched *           string exists while some replica has WatchJob callers on the queue
                              (each sets it with a short expiry and refreshes it; lifecycle.lua)
  :ptn *               set    tenants paused one by one (pause.lua; K.paused_tenants); meta `ptn`
                              holds their number, meta `paused` is 1 while the whole queue is
  :tcap *              hash   tenant -> its own concurrency cap (0: none), from the tier source;
                              written by the server (store.ts) only for tenants that have one
                              (K.tenant_caps)
  :tleased *           hash   tenant -> its jobs leased now, counted while a cap is in force
                              (tenant_caps.lua; K.tenant_leased)
  :schedule:<id>       hash   one schedule: spec, ver, paused, next, last, job
                              (schedule_upsert.lua, schedule_fire.lua)
  :j:<seq>             string one job, the record (record.lua): one key per job
  :tn:<tier>           zset   active tenants of a tier -> pass
  :tnidle:<tier>       zset   idle tenants of a tier -> last finish
  :pri:<tier>:<tenant> zset   the priorities a tenant has ready jobs at -> 9 - priority
  :q:<tier>:<tenant>:<priority>
                       list   a tenant's ready jobs at one priority, seqs, next first (ready.lua)
  :rlog:<tier>         list   `<seq>:<ready since>` in the order jobs became ready (ready.lua)
  :out:<seq>           hash   a job's output, only once it has one: `r` the result its ack
                              carried, `p` the last progress reported; it expires (or goes)
                              with the record (record.lua close_record)
  :idem:<n>:<tenant>:<key>
                       string seq of the first job the tenant enqueued with that idempotency
                              key (n: the tenant's length, so the parts cannot run together)
]]
local rcall = redis.call

-- A number as the text of a command argument or key: "%d" for a whole number, else the number
-- itself. Redis 7.0 turns a number argument into text with snprintf("%.17g"), and Lua's `..` with
-- "%.14g": each several times the cost of "%d" (docs/benchmarks.md, "Numbers as text"). For the
-- same reason constant arguments are written as text ('0', not 0).
local function num(n)
  if n % 1 == 0 then return string.format('%d', n) end
  return n
end
local P = ARGV[1]
-- Redis Cluster hashes a key by the text between its first '{' and the next '}' when not empty.
if not string.find(P, '^[^{]*{[^}]+}') or string.sub(KEYS[1], 1, #P + 1) ~= P .. ':' then
  error('key prefix ' .. P .. ' is not the hash-tagged prefix of ' .. KEYS[1])
end

local K = { meta = KEYS[1], tiers = KEYS[2], tidle = KEYS[3], delayed = KEYS[4], leased = KEYS[5],
  dead = KEYS[6], count = KEYS[7], rates = KEYS[8], schedules = KEYS[9],
  schedules_due = KEYS[10], watched = KEYS[11], paused_tenants = KEYS[12],
  tenant_caps = KEYS[13], tenant_leased = KEYS[14] }

local function k_job(seq) return P .. ':j:' .. seq end
local function k_out(seq) return P .. ':out:' .. seq end
local function k_tenants(tier) return P .. ':tn:' .. tier end
local function k_tenants_idle(tier) return P .. ':tnidle:' .. tier end
local function k_priorities(tier, tenant) return P .. ':pri:' .. tier .. ':' .. tenant end
local function k_band(tier, tenant, priority)
  return P .. ':q:' .. tier .. ':' .. tenant .. ':' .. priority
end
local function k_ready_log(tier) return P .. ':rlog:' .. tier end
-- Unique per (queue, tenant): the tenant's length first, as tenant names may contain ':'.
local function k_idem(tenant, key) return P .. ':idem:' .. #tenant .. ':' .. tenant .. ':' .. key end
local function k_schedule(id) return P .. ':schedule:' .. id end

-- `cmd key args...` in chunks: Lua's unpack has a limit of a few thousand values. Returns the
-- last chunk's reply.
local function call_chunked(cmd, key, args)
  local reply
  for i = 1, #args, 1000 do reply = rcall(cmd, key, unpack(args, i, math.min(i + 999, #args))) end
  return reply
end
