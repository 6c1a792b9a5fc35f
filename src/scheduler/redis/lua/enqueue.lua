--[[ enqueue.lua: adds jobs to one queue, in order.
KEYS[1] meta key          ARGV[1] queue    ARGV[2] pinned time or ''   ARGV[3] tier weights
ARGV[4] dedup window (ms) ARGV[5] number of jobs
then 8 values per job: tenant, tier, priority, max attempts, delay (ms), idempotency key ('' for
none), headers JSON ('' for none), payload.
Returns, per job: seq, 1 if it was a duplicate else 0, tier (the first job's, for a duplicate).
Per new job it writes the job hash and the payload; the ready structures, counters and the job
counter are written once per batch (flush()).
]]
local now = now_ms()
local window = tonumber(ARGV[4])
local next_seq = tonumber(rcall('HGET', K.meta, 'seq') or '0')
local out = {}
for i = 0, tonumber(ARGV[5]) - 1 do
  local at = 6 + i * 8
  local tenant, tier, priority = ARGV[at], ARGV[at + 1], tonumber(ARGV[at + 2])
  local delay, idem, headers = tonumber(ARGV[at + 4]), ARGV[at + 5], ARGV[at + 6]
  local first = idem ~= '' and rcall('GET', k_idem(idem))
  if first then
    local seen_tier = rcall('HGET', k_job(first), 'r') or tier
    out[#out + 1] = first; out[#out + 1] = 1; out[#out + 1] = seen_tier
  else
    next_seq = next_seq + 1
    local seq = next_seq
    local state, since = 'P', now
    if delay > 0 then state, since = 'S', now + delay end
    local fields = { 't', tenant, 'r', tier, 'p', priority, 'a', 0, 'm', ARGV[at + 3], 'e', now,
      's', state, 'u', since }
    if headers ~= '' then fields[#fields + 1] = 'h'; fields[#fields + 1] = headers end
    if idem ~= '' then
      fields[#fields + 1] = 'k'; fields[#fields + 1] = idem
      rcall('SET', k_idem(idem), seq, 'PX', window)
    end
    rcall('HSET', k_job(seq), unpack(fields))
    rcall('SET', k_payload(seq), ARGV[at + 7])
    count('enqueued', tier, 1)
    if delay > 0 then
      schedule(seq, tier, since, true)
    else
      make_ready(seq, tier, tenant, priority, now, true)
    end
    out[#out + 1] = seq; out[#out + 1] = 0; out[#out + 1] = tier
  end
end
rcall('HSET', K.meta, 'seq', next_seq)
flush()
return out
