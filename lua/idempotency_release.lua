-- idempotency_release: drops one attempt's claim of a failed request. A release that arrives
-- before its claim (a stalled store) leaves a mark the late claim recognises.
-- KEYS[1] = usher:idem:<scoped key>
-- ARGV: owner, mark_ms
-- Returns: 1 if a claim was dropped
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'released', ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 0
end
local rec = redis.call('HMGET', KEYS[1], 'owner', 'status', 'released')
-- A stored answer, another attempt's claim, or a mark: left alone. (A claim without an owner
-- was made by an older release of usher: its release drops it.)
if rec[2] or rec[3] or (rec[1] and rec[1] ~= ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
return 1
