-- idempotency_begin: claims an idempotency key for a request fingerprint.
-- KEYS[1] = usher:idem:<scoped key>   (HASH fp, status, ctype, body; expires with the TTL)
-- ARGV: fingerprint, ttl_ms
-- Returns: {'started'} | {'in_flight'} | {'conflict'} | {'replay', status, content type, body}
local rec = redis.call('HMGET', KEYS[1], 'fp', 'status', 'ctype', 'body')
if rec[1] then
  if rec[1] ~= ARGV[1] then return {'conflict'} end
  if rec[2] then return {'replay', rec[2], rec[3] or '', rec[4]} end
  return {'in_flight'}
end
redis.call('HSET', KEYS[1], 'fp', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {'started'}
