-- leave: ends a token on request. A waiting token departs (published); an admitted or entered
-- one frees its active slot.
-- KEYS: the eight event keys (prelude), KEYS[9] = the waiter's record
-- ARGV: token, retention_ms
-- Returns: {'left', previous state} | {'ended', state} | {'not_found'}
local token, w = ARGV[1], KEYS[9]
local r = redis.call('HMGET', w, 'state', 'seq', 'user')
local state, seq, user = r[1], r[2], r[3]
if not state then return {'not_found'} end
if state == 'expired' or state == 'left' then return {'ended', state} end
local now = now_ms()
if state == 'waiting' then
  redis.call('ZREM', WAITING, token)
  redis.call('ZREM', DEADLINES, token)
  redis.call('HDEL', HOLDERS, token)
  publish(now, '{"kind":"departed","seqs":[' .. int(depart(seq)) .. '],"reason":"left"}')
else
  redis.call('ZREM', ACTIVE, token)
  redis.call('HDEL', w, 'active_until')
end
if state == 'entered' then return {'ended', state} end
release(w, user, now + tonumber(ARGV[2]))
redis.call('HINCRBY', META, 'c_left', 1)
redis.call('HSET', w, 'state', 'left')
return {'left', state}
