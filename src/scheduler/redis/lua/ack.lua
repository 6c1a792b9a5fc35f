--[[ ack.lua: leased jobs succeeded (one, or many of one queue in one call: inline acks).
KEYS: the queue's fixed keys   ARGV[1] key prefix   ARGV[2] pinned time or ''   ARGV[3] tiers
(all three in includes/keys.lua, clock.lua and tiers.lua)
ARGV[4] retention (ms)   ARGV[5..] seq, lease token, result ('' for none), seq, token, result...
A result goes to the job's output hash (keys.lua k_out), which expires with the record.
Returns one code per job: 1, or -1 no such job, -2 stale lease, -3 expired lease.

Cost: per job, four commands (read the record, rewrite its head, set its expiry and its output's,
a no-op for the many jobs without output; one more to store a result) and no more
Lua than the fence needs: the record is not decoded (load_job) and the head keeps its attempt
digits as they are. Counters and the leased set are written once per call; with a tenant cap
in force, the tenants' leased counts once per tenant (else one EXISTS per call).
]]
--- @include "keys"
--- @include "clock"
--- @include "record"
--- @include "counters"
--- @include "tiers"
--- @include "settle"
--- @include "tenant_caps"
local now = now_ms()
local retention = tonumber(ARGV[4])
local finished = time_text(now)
local out, settled, per_tier = {}, {}, {}
for i = 5, #ARGV, 3 do
  local seq = ARGV[i]
  local key = k_job(seq)
  local rec = rcall('GET', key)
  local code = rec and fence(rec, ARGV[i + 1], now) or -1
  if code == 0 then
    local names = record_fields(rec, TEXT.tenant)
    local tier = names[TEXT.tier]
    count_tenant_leased(tier, names[TEXT.tenant], -1)
    settled[#settled + 1] = seq
    per_tier[tier] = (per_tier[tier] or 0) + 1
    if ARGV[i + 2] ~= '' then rcall('HSET', k_out(seq), 'r', ARGV[i + 2]) end
    close_record(seq, rec_attempt_digits(rec), 'D', finished, retention)
    code = 1
  end
  out[#out + 1] = code
end
if #settled > 0 then call_chunked('ZREM', K.leased, settled) end
for tier, n in pairs(per_tier) do
  count('leased', tier, -n)
  count('acked', tier, n)
  freed_slot(tier, n)
end
flush_counts()
flush_tenant_leased()
publish_changed()
return out
