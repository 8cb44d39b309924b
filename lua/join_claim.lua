-- join_claim: the idempotency record of a join, shared by join.lua and claim.lua.
-- The record is a HASH usher:idem:<scoped key> with fp (the request's fingerprint) and, once
-- the join is done, token, position and memo (the caller's data to rebuild its answer).
-- join_claim_lookup returns nil when the key is free, else the join's reply: {-2} another
-- request used the key, {-3} the same request is still running, {2, token, position, memo} it
-- joined (replay).
local function join_claim_lookup(key, fp)
  local rec = redis.call('HMGET', key, 'fp', 'token', 'position', 'memo')
  if not rec[1] then return nil end
  if rec[1] ~= fp then return {-2} end
  if not rec[2] then return {-3} end
  return {2, rec[2], rec[3], rec[4]}
end

-- Records the place a join took under its key.
local function join_claim_record(key, fp, ttl_ms, token, position, memo)
  redis.call('HSET', key, 'fp', fp, 'token', token, 'position', position, 'memo', memo)
  redis.call('PEXPIRE', key, ttl_ms)
end
