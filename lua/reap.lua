-- reap: expires waiting tokens whose heartbeat deadline passed (publishing the departure) and
-- trims the admission history. Atomic, so each expiry happens once however many nodes reap.
-- A reap more than gap_ms after the event's previous one (an outage: heartbeats could not be
-- renewed) expires nobody until hold_ms after it, so that every live node renews its sockets
-- first (meta fields reaped_ms and reap_hold). A lapsed waiter held by a node whose lease is
-- live and who has said nothing since it last renewed the waiter (it may be cut off from Redis
-- with the socket open) is not expired: it is looked at again after hold_ms (at least 1 s) or
-- when the lease ends. A node that renewed its lease since, but not this waiter, no longer
-- holds it. Leases: usher:{E}:leases node -> 'until:renewed'; holders: token -> 'node:touched'.
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
local seqs, gone = {}, {}
if #due > 0 then
  local leases = {}
  local flat = redis.call('HGETALL', LEASES)
  for i = 1, #flat, 2 do
    local until_ms, renewed = string.match(flat[i + 1], '^(%d+):(%d+)$')
    until_ms, renewed = tonumber(until_ms), tonumber(renewed)
    if until_ms and until_ms > now then
      leases[flat[i]] = {until_ms, renewed}
    else
      redis.call('HDEL', LEASES, flat[i])
    end
  end
  local recheck = now + math.max(tonumber(ARGV[4]), 1000)
  local holders = chunked('HMGET', HOLDERS, due)
  for i, token in ipairs(due) do
    local node, touched
    if holders[i] then node, touched = string.match(holders[i], '^(%d+):(%d+)$') end
    local lease = node and leases[node]
    if lease and lease[2] <= tonumber(touched) then
      redis.call('ZADD', DEADLINES, math.min(lease[1], recheck), token)
    else
      local w = wkey(token)
      local r = redis.call('HMGET', w, 'seq', 'user')
      redis.call('ZREM', WAITING, token)
      redis.call('ZREM', DEADLINES, token)
      redis.call('HSET', w, 'state', 'expired')
      release(w, r[2], now + tonumber(ARGV[2]))
      seqs[#seqs + 1] = int(depart(r[1]))
      gone[#gone + 1] = token
    end
  end
  chunked('HDEL', HOLDERS, gone)
end
if #seqs > 0 then
  redis.call('HINCRBY', META, 'c_expired', #seqs)
  publish(now, '{"kind":"departed","seqs":' .. json_list(seqs, false) .. ',"reason":"expired"}')
end
trim_history(now)
return #seqs
