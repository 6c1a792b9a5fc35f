--[[ schedule_upsert.lua: creates or replaces one schedule of a queue.
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
ARGV[4] schedule id   ARGV[5] spec (JSON: cadence, template, policy)
ARGV[6] paused, '1' or '0'   ARGV[7] next run time the caller computed, '' for none
ARGV[8] most schedules the queue may hold
Returns {created 1/0, next run time ('' none), last run time (''), last job seq (''), version},
or -5 when the queue already holds ARGV[8] schedules and this one is new.
An upsert that changes neither the spec nor paused keeps the stored next run: repeating an
upsert (a client retrying, a deploy re-registering its schedules) neither fires nor skips a run.
Any change bumps the version, so a replica firing from what it read before refuses (see
schedule_fire.lua). Cost: O(log n) in the queue's schedules.
]]
--- @include "keys"
local id, spec, paused, next_run = ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local key = k_schedule(id)
local old = rcall('HMGET', key, 'spec', 'paused', 'next', 'last', 'job', 'ver')
local created = not old[1]
if created and rcall('ZCARD', K.schedules) >= tonumber(ARGV[8]) then return -5 end
local ver = tonumber(old[6] or '0')
if old[1] == spec and old[2] == paused then
  next_run = old[3] or ''
else
  ver = ver + 1
  if paused == '1' then next_run = '' end
  rcall('HSET', key, 'spec', spec, 'paused', paused, 'ver', ver, 'next', next_run)
end
rcall('ZADD', K.schedules, '0', id)
if next_run == '' then
  rcall('ZREM', K.schedules_due, id)
else
  rcall('ZADD', K.schedules_due, next_run, id)
end
return { created and 1 or 0, next_run, old[4] or '', old[5] or '', ver }
