-- enter: turns an admitted token into an entered one, exactly once, and counts the user as
-- active for the session.
-- KEYS: the eight event keys (prelude), KEYS[9] = the waiter's record
-- ARGV: token, grant (reservation token id), session_ms, retention_ms
-- Entering again within the entry window gives back the grant recorded the first time.
-- Returns: {'granted', record...} | {'regranted', grant, record...} | {'not_ready'}
--          | {'already'} | {'expired'} | {'left'} | {'not_found'}
local token, w = ARGV[1], KEYS[9]
local r = redis.call('HMGET', w, 'state', 'user', 'entry_deadline')
local state = r[1]
if not state then return {'not_found'} end
if state == 'waiting' then return {'not_ready'} end
if state == 'entered' then
  if tonumber(r[3]) < now_ms() then return {'already'} end
  local out = {'regranted', redis.call('HGET', w, 'grant')}
  for _, v in ipairs(redis.call('HGETALL', w)) do out[#out + 1] = v end
  return out
end
if state == 'expired' or state == 'left' then return {state} end
local now = now_ms()
redis.call('ZREM', ACTIVE, token)
release(w, r[2], now + tonumber(ARGV[4]))
if tonumber(r[3]) < now then
  -- The window ended before the ticker noticed: the slot is freed here instead.
  redis.call('HSET', w, 'state', 'expired')
  redis.call('HDEL', w, 'active_until')
  redis.call('HINCRBY', META, 'c_lapsed', 1)
  return {'expired'}
end
local until_ms = now + tonumber(ARGV[3])
redis.call('HSET', w, 'state', 'entered', 'grant', ARGV[2], 'active_until', until_ms)
redis.call('ZADD', ACTIVE, until_ms, token)
redis.call('HINCRBY', META, 'c_entered', 1)
local out = {'granted'}
for _, v in ipairs(redis.call('HGETALL', w)) do out[#out + 1] = v end
return out
