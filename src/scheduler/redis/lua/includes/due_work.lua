--[[ due_work.lua: lease.lua's first step, the queue's upkeep: delayed jobs that fell due become
ready, expired leases are retried or dead-lettered.
]]
--- @include "keys"
--- @include "record"
--- @include "counters"
--- @include "ready"
--- @include "retry"
--- @include "tenant_caps"
local function head_score(key)
  local score = rcall('ZRANGE', key, '0', '0', 'WITHSCORES')[2]
  return score and tonumber(score)
end

-- Moves due delayed jobs to ready and expired leases to a retry or the dead letters, at most
-- `max_moves` of each. Returns the earliest due time and lease deadline as they were before:
-- false for an empty set, nil once a move may have changed them (read again with head_score),
-- and whether anything moved.
local function move_due_work(now, max_moves, policy)
  local next_due, next_deadline = head_score(K.delayed) or false, head_score(K.leased) or false
  local moved = false
  local now_text, moves_text = num(now), num(max_moves)
  if next_due and next_due <= now then
    local due = rcall('ZRANGEBYSCORE', K.delayed, '-inf', now_text, 'LIMIT', '0', moves_text)
    for _, seq in ipairs(due) do
      rcall('ZREM', K.delayed, seq)
      local job = load_job(seq)
      if job then
        count('scheduled', job.tier, -1)
        -- A delayed job never tried joins the back, as if enqueued now; a retry goes to the front.
        make_ready(seq, job, now, false, job.attempt == 0)
      else
        lost_record(seq, K.delayed)
      end
    end
    next_due, moved = nil, true
  end
  if next_deadline and next_deadline < now then
    local expired = rcall('ZRANGEBYSCORE', K.leased, '-inf', '(' .. now_text, 'LIMIT', '0',
      moves_text)
    for i, seq in ipairs(expired) do
      rcall('ZREM', K.leased, seq)
      local job = load_job(seq)
      if job then
        count('leased', job.tier, -1)
        count_tenant_leased(job.tier, job.tenant, -1)
        count('expired', job.tier, 1)
        -- A golden-ratio step spreads one random draw over the batch.
        policy.jitter = (policy.jitter_base + i * 0.6180339887) % 1
        retry_or_bury(seq, job, now, 'lease expired', -1, false, policy)
      else
        lost_record(seq, K.leased)
      end
    end
    next_due, next_deadline, moved = nil, nil, true
  end
  -- Ready now, so this call can lease them; the counts and the change notice go with lease.lua's
  -- flush() at its end.
  flush_ready()
  return next_due, next_deadline, moved
end
