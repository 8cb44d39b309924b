-- idempotency_finish: stores the response of a claimed key for replay.
-- KEYS[1] = usher:idem:<scoped key>
-- ARGV: status, content type ('' = none), body, ttl_ms
-- Returns: 1 if the claim existed, else 0
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'ctype', ARGV[2], 'body', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
