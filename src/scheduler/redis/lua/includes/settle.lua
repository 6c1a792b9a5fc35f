--[[ settle.lua: the fence of the operations on a lease (ack, nack, extend, release).
Failure codes (errors.ts ScriptCode): -1 no such job, -2 lease mismatch, -3 lease expired.
]]
--- @include "record"
-- Read off a record's head: 0 when `token` holds the job's lease at `now`, else -2 (not leased, or
-- leased with another token) or -3 (the lease expired).
local function fence(rec, token, now)
  if rec_state(rec) ~= 'L' or rec_token(rec) ~= token then return -2 end
  if tonumber(rec_time(rec), 36) < now then return -3 end
  return 0
end

-- Returns the loaded job, or nil and a code.
local function check_lease(seq, token, now)
  local job = load_job(seq)
  if not job then return nil, -1 end
  local code = fence(job.rec, token, now)
  if code < 0 then return nil, code end
  return job
end
