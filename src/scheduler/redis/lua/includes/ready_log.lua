--[[ ready_log.lua: a tier's ready log, :rlog:<tier>: `<seq>:<ready since>` in the order jobs
became ready (make_ready in ready.lua appends), so its head is the oldest ready job: the oldest
ready age for a list entry a job, much smaller than a sorted set's. An entry is stale once its job
is no longer ready since that time (leased, cancelled, or ready again later with a newer entry).
Entries are never removed from the middle. The write path keeps the head live: a lease or a
cancel trims stale entries off the head, and empties the log of a tier left with nothing ready
(tidy_ready_log). Readers (stats.lua, listing pending jobs) read a bounded head.
]]
--- @include "keys"
--- @include "record"
--- @include "counters"
-- A ready-log entry's seq and ready-since time (as stored), and whether the entry is live: its
-- job still ready since that time.
local function ready_log_entry(entry)
  local seq, at = string.match(entry, '^(%d+):(%w+)$')
  local head = rcall('GETRANGE', k_job(seq), '0', HEAD_END_TEXT)
  return seq, at, rec_state(head) == 'P' and rec_time(head) == at
end

-- After jobs of `tier` stopped being ready (leased, cancelled): a tier with nothing ready gets an
-- empty log; otherwise stale entries are dropped from the head, `limit` at most (entries in
-- `stale` are known stale without a look at their job).
local function tidy_ready_log(tier, limit, stale)
  local key = k_ready_log(tier)
  if counter('pending', tier) == 0 then
    rcall('DEL', key)
    return
  end
  local dropped = 0
  for _, entry in ipairs(rcall('LRANGE', key, '0', num(limit - 1))) do
    if not (stale and stale[entry]) then
      local _, _, live = ready_log_entry(entry)
      if live then break end
    end
    dropped = dropped + 1
  end
  if dropped > 0 then rcall('LTRIM', key, num(dropped), '-1') end
end
