-- join: appends a waiter to an event's queue, creating the event from defaults if new.
-- KEYS: the eight event keys (prelude), KEYS[9] = the waiter's record usher:{E}:w:<token>,
--       and on a standalone server only (on a cluster they live in other slots and the caller
--       writes them): KEYS[10] = usher:t:<token> (token -> event), KEYS[11] = usher:events,
--       KEYS[12] (optional) = the join's idempotency record usher:idem:<scoped key>
-- ARGV: token, user ('' = anonymous), heartbeat_ms, max_waiting,
--       default rate, default burst, default max_active ('' = none), default window_secs,
--       event id, token-key ttl_ms, and with KEYS[12]: fingerprint, claim ttl_ms, memo
-- Returns: {1, created, seq, position, joined_ms} | {0, created} queue full
--          | {-1, created} the user already holds a live place
--          | with KEYS[12], when its key was used before: join_claim_lookup's reply
local token, user = ARGV[1], ARGV[2]
local claim = KEYS[12]
if claim then
  local found = join_claim_lookup(claim, ARGV[11])
  if found then return found end
end
local now = now_ms()
local created = ensure_event(now, ARGV[5], ARGV[6], ARGV[7], ARGV[8])
if redis.call('ZCARD', WAITING) >= tonumber(ARGV[4]) then return {0, created} end
if user ~= '' and redis.call('HSETNX', USERS, user, token) == 0 then return {-1, created} end
local seq = redis.call('HINCRBY', META, 'next_seq', 1)
redis.call('HINCRBY', META, 'c_joined', 1)
redis.call('ZADD', WAITING, seq, token)
redis.call('ZADD', DEADLINES, now + tonumber(ARGV[3]), token)
redis.call('HSET', KEYS[9], 'seq', seq, 'user', user, 'state', 'waiting', 'joined', now)
if KEYS[10] then redis.call('SET', KEYS[10], ARGV[9], 'PX', ARGV[10]) end
if created == 1 and KEYS[11] then redis.call('SADD', KEYS[11], ARGV[9]) end
local position = redis.call('ZCARD', WAITING)
if claim then join_claim_record(claim, ARGV[11], ARGV[12], token, position, ARGV[13]) end
return {1, created, seq, position, now}
