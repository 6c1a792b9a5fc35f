--[[ retry.lua: what follows a failed attempt (a nack, or an expired lease): retry later, or
dead-letter; and dead jobs leaving once past retention (expire_dead).
]]
--- @include "keys"
--- @include "record"
--- @include "counters"
--- @include "ready"
-- A dead job's record outlives its retention by this much, so lease.lua's prune of the dead set
-- can still read its tier (and take it off the tier's count) before deleting it.
local DEAD_GRACE_MS = 3600000

local function bury(seq, job, now, retention_ms)
  rcall('ZADD', K.dead, num(now), seq)
  count('dead', job.tier, 1)
  count('deadlettered', job.tier, 1)
  finish(seq, job, 'X', now, retention_ms)
  if retention_ms > 0 then rcall('PEXPIRE', k_job(seq), num(retention_ms + DEAD_GRACE_MS)) end
end

-- Capped exponential backoff with "equal jitter": half fixed, half random. `jitter` in [0, 1).
local function backoff_ms(attempt, base, cap, jitter)
  local full = math.min(cap, base * 2 ^ math.max(attempt - 1, 0))
  return math.floor(full / 2 + full / 2 * jitter)
end

-- After a failed attempt of a loaded `job`: retry later, or dead-letter. delay < 0 means "by the
-- backoff policy". Returns the new state and the due time.
local function retry_or_bury(seq, job, now, err, delay, no_retry, policy)
  set_last_error(seq, job, err)
  if no_retry or job.attempt >= job.max_attempts then
    bury(seq, job, now, policy.retention)
    return 'X', now
  end
  if delay < 0 then delay = backoff_ms(job.attempt, policy.base, policy.cap, policy.jitter) end
  if delay == 0 then
    make_ready(seq, job, now)
    return 'P', now
  end
  schedule(seq, job, now + delay)
  return 'S', now + delay
end

-- Dead jobs past retention (at most `limit`): off the dead set and their tier's count, and their
-- record deleted (bury() keeps it DEAD_GRACE_MS longer, for its tier). A record already gone (its
-- queue had no upkeep for that long) leaves its tier's count as it is. Flushes when it removed
-- any. Returns when the next dead job passes retention, or nil when there is none.
local function expire_dead(now, retention_ms, limit)
  local head = rcall('ZRANGE', K.dead, '0', '0', 'WITHSCORES')[2]
  if head and tonumber(head) + retention_ms <= now then
    local cutoff = num(now - retention_ms)
    local old = rcall('ZRANGEBYSCORE', K.dead, '-inf', cutoff, 'LIMIT', '0', num(limit))
    for _, seq in ipairs(old) do
      local job = load_job(seq)
      if job then
        count('dead', job.tier, -1)
        rcall('DEL', k_job(seq))
      end
    end
    call_chunked('ZREM', K.dead, old)
    flush()
    head = rcall('ZRANGE', K.dead, '0', '0', 'WITHSCORES')[2]
  end
  return head and tonumber(head) + retention_ms
end
