-- join: appends a waiter to the queue of an existing event (joins never create events).
-- KEYS: the eight event keys (prelude), KEYS[9] = the waiter's record usher:{E}:w:<token>,
--       and on a standalone server only (on a cluster they live in other slots and the caller
--       writes them): KEYS[10] = usher:t:<token> (token -> event), KEYS[11] = usher:events:live (ZSET),
--       KEYS[12] (optional) = the join's idempotency record usher:idem:<scoped key>
-- ARGV: token, user ('' = anonymous, else one live place per user), heartbeat_ms, max_waiting,
--       event id, token-key ttl_ms, with KEYS[12]: fingerprint, claim ttl_ms, memo (else
--       three ''), then max_entrants (most entrants a random start's entry list records)
-- A scheduled sale refuses joins before its pre-queue opens and once it has ended; a join at
-- or after a random start's sale_starts_at closes its entry list first.
-- Returns: {1, seq, position, joined_ms} | {0} queue full | {-1} the user already holds a live
--          place | {-4} no such event | {-5, opens_at_ms} not open yet | {-6} ended
--          | with KEYS[12], when its key was used before: join_claim_lookup's reply
local token, user = ARGV[1], ARGV[2]
local claim = KEYS[12]
if claim then
  local found = join_claim_lookup(claim, ARGV[7])
  if found then return found end
end
if redis.call('EXISTS', META) == 0 then return {-4} end
local now = now_ms()
local s = schedule()
if s then
  if s.sale_ends_at_ms and now >= s.sale_ends_at_ms then return {-6} end
  if s.prequeue_opens_at_ms and now < s.prequeue_opens_at_ms then
    return {-5, int(s.prequeue_opens_at_ms)}
  end
  close_if_due(now, s)
end
local entrant = entry_list_open()
if redis.call('ZCARD', WAITING) >= tonumber(ARGV[4]) then return {0} end
if entrant and num(redis.call('HGET', META, 'next_seq')) >= tonumber(ARGV[10]) then
  return {0}
end
if user ~= '' and redis.call('HSETNX', USERS, user, token) == 0 then return {-1} end
local seq = redis.call('HINCRBY', META, 'next_seq', 1)
redis.call('HSET', META, 'joined_ms', now)
redis.call('HINCRBY', META, 'c_joined', 1)
redis.call('ZADD', WAITING, seq, token)
if entrant then redis.call('HSET', ENTRIES, seq, token) end
redis.call('ZADD', DEADLINES, now + tonumber(ARGV[3]), token)
redis.call('HSET', KEYS[9], 'seq', seq, 'user', user, 'state', 'waiting', 'joined', now)
if KEYS[10] then redis.call('SET', KEYS[10], ARGV[5], 'PX', ARGV[6]) end
if KEYS[11] then redis.call('ZADD', KEYS[11], 'GT', seq, ARGV[5]) end
local position = redis.call('ZCARD', WAITING)
if claim then join_claim_record(claim, ARGV[7], ARGV[8], token, position, ARGV[9]) end
return {1, seq, position, now}
