-- join: appends a waiter to an event's queue, creating the event from defaults if new.
-- KEYS: the eight event keys (prelude), KEYS[9] = the waiter's record usher:{E}:w:<token>,
--       and on a standalone server only (on a cluster they live in other slots and the caller
--       writes them): KEYS[10] = usher:t:<token> (token -> event), KEYS[11] = usher:events
-- ARGV: token, user ('' = anonymous), heartbeat_ms, max_waiting,
--       default rate, default burst, default max_active ('' = none), default window_secs,
--       event id, token-key ttl_ms
-- Returns: {1, created, seq, position, joined_ms} | {0, created} queue full
--          | {-1, created} the user already holds a live place
local token, user = ARGV[1], ARGV[2]
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
return {1, created, seq, redis.call('ZCARD', WAITING), now}
