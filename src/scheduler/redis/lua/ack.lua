--[[ ack.lua: leased jobs succeeded (one, or many of one queue in one call: inline acks).
KEYS[1] meta key   ARGV[1] queue   ARGV[2] pinned time or ''   ARGV[3] tier weights
ARGV[4] retention (ms)   ARGV[5..] seq, lease token, seq, lease token...
Returns one code per job: 1, or -1 no such job, -2 stale lease, -3 expired lease.
]]
local now = now_ms()
local retention = tonumber(ARGV[4])
local out, settled = {}, {}
for i = 5, #ARGV, 2 do
  local seq = ARGV[i]
  local job, code = check_lease(seq, ARGV[i + 1], now)
  if job then
    local tier = job.tier
    settled[#settled + 1] = seq
    count('leased', tier, -1)
    freed_slot(tier)
    count('acked', tier, 1)
    finish(seq, job, 'D', now, retention)
    code = 1
  end
  out[#out + 1] = code
end
if #settled > 0 then call_chunked('ZREM', K.leased, settled) end
flush()
return out
