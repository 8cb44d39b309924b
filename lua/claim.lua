-- claim: on a cluster, claims a join's idempotency key before the join (the key lives in
-- another slot than the event's keys, so the two cannot share a script).
-- KEYS[1] = usher:idem:<scoped key>
-- ARGV: fingerprint, ttl_ms
-- Returns: join_claim_lookup's reply, or {1} claimed: the caller joins, then records the place
--          (claim_record.lua) or releases the key
local found = join_claim_lookup(KEYS[1], ARGV[1])
if found then return found end
redis.call('HSET', KEYS[1], 'fp', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1}
