-- idempotency_begin: claims an idempotency key for a request fingerprint and one attempt.
-- KEYS[1] = usher:idem:<scoped key>   (HASH fp, owner, status, ctype, body; expires with the TTL;
--           or only 'released' = owner: a release that came before its claim)
-- ARGV: fingerprint, ttl_ms, owner
-- Returns: {'started'} | {'in_flight'} | {'conflict'} | {'replay', status, content type, body}
--          | {'released'} (this attempt was released before its claim arrived)
local rec = redis.call('HMGET', KEYS[1], 'fp', 'status', 'ctype', 'body', 'released')
if rec[5] then
  if rec[5] == ARGV[3] then return {'released'} end
  -- Another attempt's release mark: the key is free.
  redis.call('DEL', KEYS[1])
elseif rec[1] then
  if rec[1] ~= ARGV[1] then return {'conflict'} end
  if rec[2] then return {'replay', rec[2], rec[3] or '', rec[4]} end
  return {'in_flight'}
end
redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'owner', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {'started'}
