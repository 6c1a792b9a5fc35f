--[[ enqueue.lua: adds jobs to one queue, in order.
KEYS[1] meta key          ARGV[1] queue    ARGV[2] pinned time or ''   ARGV[3] tier weights
ARGV[4] dedup window (ms) ARGV[5] number of jobs
then 3 values per job: delay (ms), idempotency key ('' for none; unique per queue and tenant),
and the record's tail
(priority, max attempts, text fields, payload: lib.lua, encoded by codec.ts).
Returns, per job: seq, 1 if it was a duplicate else 0, tier (the first job's, for a duplicate:
always a job of the same tenant).
Per new job it writes the record (one SET); the ready structures, counters and the job counter
are written once per batch (flush()).
]]
local now = now_ms()
local window = tonumber(ARGV[4])
local next_seq = tonumber(rcall('HGET', K.meta, 'seq') or '0')
local out = {}
for i = 0, tonumber(ARGV[5]) - 1 do
  local at = 6 + i * 3
  local delay, idem, tail = tonumber(ARGV[at]), ARGV[at + 1], ARGV[at + 2]
  local names = record_fields(tail, 2, TAIL_FIELDS)
  local job = { tier = names[1], tenant = names[2], p = tonumber(string.sub(tail, 1, 1)) }
  local idem_key = idem ~= '' and k_idem(job.tenant, idem)
  local first = idem_key and rcall('GET', idem_key)
  local seen = first and load_job(first)
  -- The key is the tenant's own, so `seen` is the tenant's job; the check guards the promise that
  -- no reply names another tenant's job whatever wrote the key.
  if first and (not seen or seen.tenant == job.tenant) then
    out[#out + 1] = first; out[#out + 1] = 1; out[#out + 1] = seen and seen.tier or job.tier
  else
    next_seq = next_seq + 1
    local seq = next_seq
    local state, since = 'P', now
    if delay > 0 then state, since = 'S', now + delay end
    if idem_key then rcall('SET', idem_key, seq, 'PX', window) end
    rcall('SET', k_job(seq), new_record(state, since, now, tail))
    count('enqueued', job.tier, 1)
    if delay > 0 then
      schedule(seq, job, since, true)
    else
      make_ready(seq, job, now, true, true)
    end
    out[#out + 1] = seq; out[#out + 1] = 0; out[#out + 1] = job.tier
  end
end
rcall('HSET', K.meta, 'seq', next_seq)
flush()
return out
