--[[ lifecycle.lua: a job's output and change notices (prepended before lib.lua; ../scripts.ts).

Keys of a queue (mirrors keys.ts):
  :out:<seq>     hash    a job's output, only once it has one: `r` the result its ack carried,
                         `p` the last progress reported. It expires (or goes) with the record
                         (lib.lua close_record), so a job without output costs nothing more.
  :watched       string  exists while some replica has WatchJob callers on the queue (each sets
                         it with a short expiry and refreshes it)
Channel sched:{<queue>}:events (hash-tagged like the keys, so it can move to sharded pub/sub):
  'j <seq>,<seq>,...'  jobs whose state or progress changed; published once per script call, and
                       only while :watched exists (one EXISTS per call otherwise)
  'c <seq>/<token>'    a leased job was cancelled: the stream holding that lease tells its worker
]]
local LC_PREFIX = 'sched:{' .. ARGV[1] .. '}'
local LC_CHANNEL = LC_PREFIX .. ':events'

-- The output key of a job key (`<prefix>:j:<seq>`), so close_record needs nothing more.
local function k_out(job_key) return LC_PREFIX .. ':out:' .. string.sub(job_key, #LC_PREFIX + 4) end

-- Jobs this script changed, published by publish_changed() (lib.lua flush()).
local changed_jobs = {}
local function changed(seq) changed_jobs[#changed_jobs + 1] = seq end

local function publish_changed()
  if #changed_jobs == 0 then return end
  if redis.call('EXISTS', LC_PREFIX .. ':watched') == 1 then
    redis.call('PUBLISH', LC_CHANNEL, 'j ' .. table.concat(changed_jobs, ','))
  end
  changed_jobs = {}
end

local function publish_cancelled(seq, token)
  redis.call('PUBLISH', LC_CHANNEL, 'c ' .. seq .. '/' .. token)
end
