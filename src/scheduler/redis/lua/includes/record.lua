--[[ record.lua: the job record, one string per job (key :j:<seq>). codec.ts reads and writes the
same layout from the server; test/scheduler/lua-tables.test.ts checks the two tables agree.

A fixed-width head, then the text fields, then the payload to the end. Numbers are base 36,
zero-padded: 9 digits of milliseconds last until the year 5188. RECORD below gives where each
fixed field starts (0-based, as SETRANGE counts); each runs up to where the next one starts:
  state         1 char: P pending, S scheduled, L leased, D succeeded, X dead, C cancelled
  attempt       deliveries so far
  time          by state: ready since (P), due (S), lease deadline (L), finish time (D, X, C)
  token         the lease token, 12 chars (72 random bits, base64url), meaningful while leased
                only
  enqueued      enqueue time
  priority      0-9
  max_attempts
  text          the text fields, in the order of TEXT, each as `<length>:<bytes>`; then the
                payload, to the end
State, attempt, time and token come first so that a lease rewrites them with one SETRANGE.
Everything from the priority on (the tail) is encoded by the server (codec.ts encodeTail);
enqueue.lua only writes the head.
]]
--- @include "keys"
--- @include "lifecycle"
local RECORD = { state = 0, attempt = 1, time = 3, token = 12, enqueued = 24, priority = 33,
  max_attempts = 34, text = 36 }
local TEXT = { tier = 1, tenant = 2, idempotency_key = 3, headers = 4, last_error = 5 }

-- Where the text fields start (1-based, as string.find counts) in a record, and in a tail as the
-- server sends it.
local RECORD_TEXT, TAIL_TEXT = RECORD.text + 1, RECORD.text - RECORD.priority + 1
-- The last byte (0-based, as GETRANGE counts) of the time field: a head read up to there tells
-- whether a job is still ready since a given time.
local HEAD_END = RECORD.token - 1
local HEAD_END_TEXT = num(HEAD_END)
local ATTEMPT_WIDTH, TIME_WIDTH = RECORD.time - RECORD.attempt, RECORD.token - RECORD.time

local function rec_state(rec) return string.sub(rec, RECORD.state + 1, RECORD.attempt) end
-- The attempt as stored (base 36 digits), and as a number.
local function rec_attempt_digits(rec) return string.sub(rec, RECORD.attempt + 1, RECORD.time) end
local function rec_attempt(rec) return tonumber(rec_attempt_digits(rec), 36) end
-- The time field as stored (base 36), comparable with ready-log entries as text.
local function rec_time(rec) return string.sub(rec, RECORD.time + 1, RECORD.token) end
local function rec_token(rec) return string.sub(rec, RECORD.token + 1, RECORD.enqueued) end

local DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz'
local TOKEN_CHARS = RECORD.enqueued - RECORD.token
local NO_TOKEN = string.rep('-', TOKEN_CHARS)

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

local function text_field(s) return #s .. ':' .. s end

-- A time as records and ready-log entries write it; a script writes the same few many times.
local time_texts = {}
local function time_text(ms)
  local text = time_texts[ms]
  if not text then
    text = b36(ms, TIME_WIDTH)
    time_texts[ms] = text
  end
  return text
end

local function new_record(state, since, now, tail)
  return state .. b36(0, ATTEMPT_WIDTH) .. time_text(since) .. NO_TOKEN .. time_text(now) .. tail
end

-- The first `n` text fields of a record (or of a tail, from TAIL_TEXT), and where each starts;
-- the payload follows the last one. nil when `rec` is cut short before the n-th field ends (a
-- head read with GETRANGE).
local function record_fields(rec, n, from)
  local values, starts, pos = {}, {}, from or RECORD_TEXT
  for i = 1, n do
    local colon = string.find(rec, ':', pos, true)
    local len = colon and tonumber(string.sub(rec, pos, colon - 1))
    if not len or colon + len > #rec then return nil end
    starts[i] = pos
    values[i] = string.sub(rec, colon + 1, colon + len)
    pos = colon + len + 1
  end
  return values, starts, pos
end

-- A job's record with its fixed fields and tier and tenant decoded, or nil.
local function load_job(seq)
  local rec = rcall('GET', k_job(seq))
  if not rec then return nil end
  local text = record_fields(rec, TEXT.tenant)
  return {
    rec = rec,
    state = rec_state(rec),
    attempt = rec_attempt(rec),
    time = tonumber(rec_time(rec), 36),
    token = rec_token(rec),
    priority = tonumber(string.sub(rec, RECORD.priority + 1, RECORD.max_attempts)),
    max_attempts = tonumber(string.sub(rec, RECORD.max_attempts + 1, RECORD.text), 36),
    tier = text[TEXT.tier],
    tenant = text[TEXT.tenant],
  }
end

-- A job's record up to its tier and tenant, without the payload (all a settle needs), and those
-- two; nil when there is no record. One GETRANGE of the head and a stretch of text that holds
-- usual tier and tenant names; longer ones cost a GET.
local NAMES_READ = RECORD_TEXT + 127
local NAMES_READ_TEXT = num(NAMES_READ)
local function head_and_names(seq)
  local key = k_job(seq)
  local rec = rcall('GETRANGE', key, '0', NAMES_READ_TEXT)
  if rec == '' then return nil end
  local names = record_fields(rec, TEXT.tenant)
  if not names then
    rec = rcall('GET', key)
    names = record_fields(rec, TEXT.tenant)
  end
  return rec, names[TEXT.tier], names[TEXT.tenant]
end

-- A job listed in a structure has no record: only possible when something outside these scripts
-- deleted or evicted it (Redis must run with noeviction). The caller drops it from the structure
-- and carries on, so one lost record cannot stop a queue; Redis's log says which.
local function lost_record(seq, where)
  redis.log(redis.LOG_WARNING, 'scheduler: ' .. k_job(seq) .. ' in ' .. where ..
    ' has no record (deleted or evicted?); dropped')
end

-- Writes a record's state, attempt (its base-36 digits) and time field: one SETRANGE.
local function write_head(key, state, attempt_digits, at_text)
  rcall('SETRANGE', key, '0', state .. attempt_digits .. at_text) -- the head: RECORD.state is 0
end

-- Writes a loaded job's state, its attempt (job.attempt) and its time field.
local function stamp(seq, job, state, at)
  write_head(k_job(seq), state, b36(job.attempt, ATTEMPT_WIDTH), time_text(at))
  changed(seq)
end

local function set_last_error(seq, job, err)
  local last = TEXT.last_error
  local _, starts, payload_at = record_fields(job.rec, last)
  job.rec = string.sub(job.rec, 1, starts[last] - 1) .. text_field(err) ..
      string.sub(job.rec, payload_at)
  rcall('SET', k_job(seq), job.rec)
end

-- A job reached a final state (succeeded, dead, cancelled) at `at_text`: its head says so and the
-- record and its output expire after the retention period, or go now when there is none.
-- `attempt_digits` as stored, so a caller holding the record as read need not decode it (ack.lua).
local function close_record(seq, attempt_digits, state, at_text, retention_ms)
  local key = k_job(seq)
  if retention_ms > 0 then
    write_head(key, state, attempt_digits, at_text)
    local ttl = num(retention_ms)
    rcall('PEXPIRE', key, ttl)
    rcall('PEXPIRE', k_out(seq), ttl)
  else
    rcall('DEL', key, k_out(seq))
  end
  changed(seq)
end

local function finish(seq, job, state, now, retention_ms)
  close_record(seq, b36(job.attempt, ATTEMPT_WIDTH), state, time_text(now), retention_ms)
end
