-- admit: one admission step. Frees the slots of admitted users whose entry window ended (and of
-- finished sessions), at most ARGV[4] of them so that a step stays short (the rest in the next
-- steps, as reap does); refills the token bucket by the server clock (fractional tokens carry
-- over), admits the lowest sequence numbers (bounded by the bucket, max_active and max_batch)
-- and publishes the step. Any number of nodes may call it: each call is atomic.
-- An event with nobody waiting and nobody active after the step leaves the live events, so the
-- ticker stops calling it until the next join puts it back.
-- KEYS: the eight event keys (prelude), and on a standalone server KEYS[9] = usher:events:live
--       (ZSET: event id scored by the highest sequence number a join took)
-- ARGV: max_batch, retention_ms, event id, limit (most slots freed)
-- Returns: {admitted, lapsed, waiting, active, next_seq}
if redis.call('EXISTS', META) == 0 then
  if KEYS[9] then redis.call('ZREM', KEYS[9], ARGV[3]) end
  return {0, 0, 0, 0, 0}
end
local now = now_ms()
local retention = tonumber(ARGV[2])

-- While usher holds admission (a backend is failing), no entry window lapses either.
local held = tonumber(redis.call('HGET', META, 'hold_until') or '0') > now
local lapsed = {}
local due = {}
if not held then
  due = redis.call('ZRANGEBYSCORE', ACTIVE, '-inf', now, 'LIMIT', 0, tonumber(ARGV[4]))
end
for _, token in ipairs(due) do
  redis.call('ZREM', ACTIVE, token)
  local w = wkey(token)
  redis.call('HDEL', w, 'active_until')
  local r = redis.call('HMGET', w, 'state', 'user')
  if r[1] == 'admitted' then
    redis.call('HSET', w, 'state', 'expired')
    release(w, r[2], now + retention)
    redis.call('HINCRBY', META, 'c_lapsed', 1)
    lapsed[#lapsed + 1] = token
  end
end

local tokens = settle_bucket(now)
local c = redis.call('HMGET', META, 'paused', 'max_active', 'window', 'head', 'next_seq')
local n = 0
if c[1] ~= '1' and not held then
  n = math.min(math.floor(tokens), redis.call('ZCARD', WAITING), tonumber(ARGV[1]))
  if c[2] and c[2] ~= '' then
    n = math.min(n, math.max(0, tonumber(c[2]) - redis.call('ZCARD', ACTIVE)))
  end
end
local head = num(c[4])
if n > 0 then
  local deadline = now + tonumber(c[3]) * 1000
  local popped = redis.call('ZPOPMIN', WAITING, n)
  local admitted = {}
  for i = 1, #popped, 2 do
    local token = popped[i]
    admitted[#admitted + 1] = token
    head = tonumber(popped[i + 1])
    redis.call('ZREM', DEADLINES, token)
    redis.call('HSET', wkey(token), 'state', 'admitted', 'admitted', now,
      'entry_deadline', deadline, 'active_until', deadline)
    redis.call('ZADD', ACTIVE, deadline, token)
  end
  chunked('HDEL', HOLDERS, admitted)
  redis.call('HSET', META, 'head', head)
  redis.call('ZREMRANGEBYSCORE', DEPARTED, '-inf', head)
  redis.call('HINCRBY', META, 'c_admitted', n)
  redis.call('HINCRBY', HIST, int(now - now % BUCKET_MS), n)
  redis.call('HSETNX', META, 'hist_since', now)
end
redis.call('HSET', META, 'tokens', string.format('%.17g', tokens - n), 'bucket_ms', now)
if n > 0 or #lapsed > 0 then
  publish(now, '{"kind":"step","head":' .. int(head) .. ',"admitted":' .. n ..
    ',"next_seq":' .. c[5] .. ',"lapsed":' .. json_list(lapsed, true) ..
    ',"active":' .. redis.call('ZCARD', ACTIVE) .. ',"entry_window_secs":' .. c[3] .. '}')
end
local waiting, active = redis.call('ZCARD', WAITING), redis.call('ZCARD', ACTIVE)
if waiting == 0 and active == 0 and KEYS[9] then redis.call('ZREM', KEYS[9], ARGV[3]) end
return {n, #lapsed, waiting, active, num(c[5])}
