-- reap: expires waiting tokens whose heartbeat deadline passed (publishing the departure) and
-- trims the admission history. Atomic, so each expiry happens once however many nodes reap.
-- A reap more than gap_ms after the event's previous one (an outage: heartbeats could not be
-- renewed) expires nobody until hold_ms after it, so that every live node renews its sockets
-- first (meta fields reaped_ms and reap_hold).
-- KEYS: the eight event keys (prelude)
-- ARGV: limit, retention_ms, gap_ms, hold_ms
-- Returns: the number of waiters expired
if redis.call('EXISTS', META) == 0 then return 0 end
local now = now_ms()
local last = tonumber(redis.call('HGET', META, 'reaped_ms'))
if last ~= nil and now - last > tonumber(ARGV[3]) then
  redis.call('HSET', META, 'reap_hold', now + tonumber(ARGV[4]))
end
redis.call('HSET', META, 'reaped_ms', now)
if now < tonumber(redis.call('HGET', META, 'reap_hold') or '0') then
  trim_history(now)
  return 0
end
local due = redis.call('ZRANGEBYSCORE', DEADLINES, '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
local seqs = {}
for i, token in ipairs(due) do
  local w = wkey(token)
  local r = redis.call('HMGET', w, 'seq', 'user')
  redis.call('ZREM', WAITING, token)
  redis.call('ZREM', DEADLINES, token)
  redis.call('ZADD', DEPARTED, r[1], r[1])
  redis.call('HSET', w, 'state', 'expired')
  release(w, r[2], now + tonumber(ARGV[2]))
  seqs[i] = r[1]
end
if #seqs > 0 then
  redis.call('HINCRBY', META, 'c_expired', #seqs)
  publish(now, '{"kind":"departed","seqs":' .. json_list(seqs, false) .. ',"reason":"expired"}')
end
trim_history(now)
return #seqs
