--[[ acks.lua: leased jobs succeeded. ack.lua applies acks alone; lease.lua applies the acks a
worker sent with its credits before leasing, so a worker's cycle is one script call.
Cost: per job, four commands (read the record's head, tier and tenant, never the payload;
rewrite its head, set its expiry and its output's, a no-op for the many jobs without output; one
more to store a result) and no more Lua than the fence needs: the record is not decoded (load_job)
and the head keeps its attempt digits as they are. Counters and the leased set are written once
per call; with a tenant cap in force, the tenants' leased counts once per tenant (else one EXISTS
per call).
]]
--- @include "keys"
--- @include "clock"
--- @include "record"
--- @include "counters"
--- @include "tiers"
--- @include "settle"
--- @include "lifecycle"
--- @include "tenant_caps"

-- Acks the leases in ARGV[first..]: seq, lease token, result ('' for none), seq, token, result...
-- A result goes to the job's output hash (keys.lua k_out), which expires with the record.
-- Returns one code per lease: 1, or -1 no such job, -2 stale lease, -3 expired lease.
-- The caller writes what the acks summed (flush_counts, flush_tenant_leased) and the change notice
-- (publish_changed): lease.lua with its own, so a leased count the acks lower and the lease
-- raises is written once, or not at all.
local function ack_leases(first, now, retention)
  local finished = time_text(now)
  local codes, settled, per_tier = {}, {}, {}
  for i = first, #ARGV, 3 do
    local seq = ARGV[i]
    local rec, tier, tenant = head_and_names(seq)
    local code = rec and fence(rec, ARGV[i + 1], now) or -1
    if code == 0 then
      count_tenant_leased(tier, tenant, -1)
      settled[#settled + 1] = seq
      per_tier[tier] = (per_tier[tier] or 0) + 1
      if ARGV[i + 2] ~= '' then rcall('HSET', k_out(seq), 'r', ARGV[i + 2]) end
      close_record(seq, rec_attempt_digits(rec), 'D', finished, retention)
      code = 1
    end
    codes[#codes + 1] = code
  end
  if #settled > 0 then call_chunked('ZREM', K.leased, settled) end
  for tier, n in pairs(per_tier) do
    count('leased', tier, -n)
    count('acked', tier, n)
    freed_slot(tier, n)
  end
  return codes
end
