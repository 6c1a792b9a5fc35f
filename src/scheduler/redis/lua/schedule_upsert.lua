--[[ schedule_upsert.lua: creates or replaces one schedule of a queue.
KEYS[1] meta key   KEYS[2] the schedule's hash   KEYS[3] the queue's schedule ids (zset)
KEYS[4] the queue's due schedules (zset id -> next run time)
ARGV[1..3] as in lib.lua   ARGV[4] schedule id   ARGV[5] spec (JSON: cadence, template, policy)
ARGV[6] paused, '1' or '0'   ARGV[7] next run time the caller computed, '' for none
ARGV[8] most schedules the queue may hold
Returns {created 1/0, next run time ('' none), last run time (''), last job seq (''), version},
or -5 when the queue already holds ARGV[8] schedules and this one is new.
An upsert that changes neither the spec nor paused keeps the stored next run: repeating an
upsert (a client retrying, a deploy re-registering its schedules) neither fires nor skips a run.
Any change bumps the version, so a replica firing from what it read before refuses (see
schedule_fire.lua). Cost: O(log n) in the queue's schedules.
]]
local id, spec, paused, next_run = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local old = rcall('HMGET', KEYS[2], 'spec', 'paused', 'next', 'last', 'job', 'ver')
local created = not old[1]
if created and rcall('ZCARD', KEYS[3]) >= tonumber(ARGV[8]) then return -5 end
local ver = tonumber(old[6] or '0')
if old[1] == spec and old[2] == paused then
  next_run = old[3] or ''
else
  ver = ver + 1
  if paused == '1' then next_run = '' end
  rcall('HSET', KEYS[2], 'spec', spec, 'paused', paused, 'ver', ver, 'next', next_run)
end
rcall('ZADD', KEYS[3], 0, id)
if next_run == '' then
  rcall('ZREM', KEYS[4], id)
else
  rcall('ZADD', KEYS[4], next_run, id)
end
return { created and 1 or 0, next_run, old[4] or '', old[5] or '', ver }
