--[[ enqueue.lua: adds jobs to one queue, in order.
KEYS[1] meta key          ARGV[1] queue    ARGV[2] pinned time or ''   ARGV[3] tier weights
ARGV[4] dedup window (ms) ARGV[5] number of jobs
then 8 values per job: tenant, tier, priority, max attempts, delay (ms), idempotency key ('' for
none), headers JSON ('' for none), payload.
Returns, per job: seq, 1 if it was a duplicate else 0, tier (the first job's, for a duplicate).
]]
local now = now_ms()
local window = tonumber(ARGV[4])
local out = {}
for i = 0, tonumber(ARGV[5]) - 1 do
  local at = 6 + i * 8
  local tenant, tier, priority = ARGV[at], ARGV[at + 1], tonumber(ARGV[at + 2])
  local max_attempts, delay, idem = ARGV[at + 3], tonumber(ARGV[at + 4]), ARGV[at + 5]
  local first = idem ~= '' and rcall('GET', k_idem(idem))
  if first then
    local seen_tier = rcall('HGET', k_job(first), 'r') or tier
    out[#out + 1] = first; out[#out + 1] = 1; out[#out + 1] = seen_tier
  else
    local seq = rcall('HINCRBY', K.meta, 'seq', 1)
    local job = k_job(seq)
    rcall('HSET', job, 't', tenant, 'r', tier, 'p', priority, 'a', 0, 'm', max_attempts, 'e', now)
    rcall('SET', k_payload(seq), ARGV[at + 7])
    if ARGV[at + 6] ~= '' then rcall('HSET', job, 'h', ARGV[at + 6]) end
    if idem ~= '' then
      rcall('HSET', job, 'k', idem)
      rcall('SET', k_idem(idem), seq, 'PX', window)
    end
    count('enqueued', tier, 1)
    if delay > 0 then
      schedule(seq, tier, now + delay)
    else
      make_ready(seq, tier, tenant, priority, now)
    end
    out[#out + 1] = seq; out[#out + 1] = 0; out[#out + 1] = tier
  end
end
return out
