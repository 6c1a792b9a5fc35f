--[[ add_job.lua: adding one job to a queue (enqueue.lua, schedule_fire.lua).
Job numbers come from the queue's counter (seq in K.meta), read once per script and written back
once by flush_jobs(), which every script that adds jobs calls before it returns.
]]
--- @include "keys"
--- @include "record"
--- @include "counters"
--- @include "ready"
local last_seq, seq_taken = nil, false
local function take_seq()
  last_seq = (last_seq or tonumber(rcall('HGET', K.meta, 'seq') or '0')) + 1
  seq_taken = true
  return num(last_seq)
end

-- Adds one job: `delay` in ms, `idem` its idempotency key or '', `tail` the record's tail as
-- codec.ts encodes it. A key seen within the dedup window `window` adds nothing. Returns the
-- job's seq, 1 if it was a duplicate else 0, and the tier (the first job's, for a duplicate).
local function add_job(now, window, delay, idem, tail)
  local text = record_fields(tail, TEXT.tenant, TAIL_TEXT)
  local job = { tier = text[TEXT.tier], tenant = text[TEXT.tenant],
    priority = string.sub(tail, 1, RECORD.max_attempts - RECORD.priority) } -- as text: a key part
  local idem_key = idem ~= '' and k_idem(job.tenant, idem)
  local first = idem_key and rcall('GET', idem_key)
  local seen = first and load_job(first)
  -- The key is the tenant's own, so `seen` is the tenant's job; the check guards the promise that
  -- no reply names another tenant's job whatever wrote the key.
  if first and (not seen or seen.tenant == job.tenant) then
    return first, 1, seen and seen.tier or job.tier
  end
  local seq = take_seq()
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
  return seq, 0, job.tier
end

-- The job counter, then flush(): jobs made ready and counter changes.
local function flush_jobs()
  if seq_taken then
    rcall('HSET', K.meta, 'seq', num(last_seq))
    seq_taken = false
  end
  flush()
end
