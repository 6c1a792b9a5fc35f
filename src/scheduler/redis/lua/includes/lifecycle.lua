--[[ lifecycle.lua: change notices of a queue's jobs, on the channel `<prefix>:events` (keys.ts
eventsChannel; hash-tagged like the keys, so it can move to sharded pub/sub):
  'j <seq>,<seq>,...'  jobs whose state or progress changed; published once per script call, and
                       only while K.watched exists (one EXISTS per call otherwise)
  'c <seq>/<token>'    a leased job was cancelled: the stream holding that lease tells its worker
A job's output (result, progress) is its :out:<seq> hash (keys.lua k_out).
]]
--- @include "keys"
local EVENTS_CHANNEL = P .. ':events'

-- Jobs this script changed, published by publish_changed() (ready.lua flush(), ack.lua).
local changed_jobs = {}
local function changed(seq) changed_jobs[#changed_jobs + 1] = seq end

local function publish_changed()
  if #changed_jobs == 0 then return end
  if rcall('EXISTS', K.watched) == 1 then
    rcall('PUBLISH', EVENTS_CHANNEL, 'j ' .. table.concat(changed_jobs, ','))
  end
  changed_jobs = {}
end

local function publish_cancelled(seq, token)
  rcall('PUBLISH', EVENTS_CHANNEL, 'c ' .. seq .. '/' .. token)
end
