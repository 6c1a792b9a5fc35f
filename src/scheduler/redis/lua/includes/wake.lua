--[[ wake.lua: tells waiting consumers on every replica to look at the queue again, by publishing
the queue's name (the hash tag of the key prefix, ARGV[1]) on keys.ts WAKE_CHANNEL; at most once
per script call.
]]
--- @include "keys"
local WAKE_CHANNEL = 'sched:wake'
local woke = false
local function wake()
  if woke then return end
  woke = true
  rcall('PUBLISH', WAKE_CHANNEL, string.match(P, '{([^}]+)}'))
end
