-- admit: one admission step. Frees the slots of admitted users whose entry window ended (and of
-- finished sessions), at most ARGV[4] of them so that a step stays short (the rest in the next
-- steps, as reap does); refills the token bucket by the server clock (fractional tokens carry
-- over), admits the lowest sequence numbers (bounded by the bucket, max_active and max_batch)
-- and publishes the step. Any number of nodes may call it: each call is atomic.
-- An event with nobody waiting and nobody active after the step leaves the live events, so the
-- ticker stops calling it until the next join puts it back.
-- KEYS: the eight event keys (prelude), and on a standalone server KEYS[9] = usher:events:live
--       (ZSET: event id scored by the highest sequence number a join took)
-- A scheduled sale admits nobody before it starts or after it ends. A random start's first
-- step at or after sale_starts_at closes its entry list; until its draw is made nobody is
-- admitted, and the step hands the draw to its caller (draw_due, one caller per lease). Made,
-- the draw's entrants are admitted by rank (their seqs computed from the key, no list is
-- stored), skipping those who departed (at most ARGV[4] skips a step), then later joins by seq.
-- While nobody is admitted, a step is still published when the pre-queue grew, so every node
-- knows its size.
-- ARGV: max_batch, retention_ms, event id, limit (most slots freed, most entrants skipped)
-- Returns: {admitted, lapsed, waiting, active, next_seq, draw_due}
if redis.call('EXISTS', META) == 0 then
  if KEYS[9] then redis.call('ZREM', KEYS[9], ARGV[3]) end
  return {0, 0, 0, 0, 0, 0}
end
local now = now_ms()
local retention = tonumber(ARGV[2])
local sched = schedule()
close_if_due(now, sched)
local d = redis.call('HMGET', META, 'draw_commit', 'draw_closed', 'draw_at', 'draw_beacon',
  'draw_lease', 'draw_n')
local draw_due = 0
if d[1] and d[2] and not d[3] and (not sched or not sched.beacon_round or d[4]) and num(d[5]) <= now then
  redis.call('HSET', META, 'draw_lease', now + DRAW_LEASE_MS)
  draw_due = 1
end
local sale_open = true
if sched then
  local ended = sched.sale_ends_at_ms and now >= sched.sale_ends_at_ms
  sale_open = now >= sched.sale_starts_at_ms and not ended and (not d[1] or d[3] ~= false)
end

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
local c = redis.call('HMGET', META, 'paused', 'max_active', 'window', 'head', 'next_seq',
  'pub_seq', 'queue_all')
local n = 0
if c[1] ~= '1' and c[7] ~= '1' and not held and sale_open then
  n = math.min(math.floor(tokens), redis.call('ZCARD', WAITING), tonumber(ARGV[1]))
  if c[2] and c[2] ~= '' then
    n = math.min(n, math.max(0, tonumber(c[2]) - redis.call('ZCARD', ACTIVE)))
  end
end
local head = num(c[4])
local head_before = head
if n > 0 then
  local deadline = now + tonumber(c[3]) * 1000
  local admitted = {}
  local p = draw_perm()
  local skips = tonumber(ARGV[4])
  while p and head < p.n and #admitted < n and skips > 0 do
    head = head + 1
    local seq = entrant_at(p, head)
    local token = redis.call('ZRANGEBYSCORE', WAITING, seq, seq, 'LIMIT', 0, 1)[1]
    if token then
      redis.call('ZREM', WAITING, token)
      admitted[#admitted + 1] = token
    else
      skips = skips - 1
    end
  end
  if #admitted < n and (not p or head >= p.n) then
    local popped = redis.call('ZPOPMIN', WAITING, n - #admitted)
    for i = 1, #popped, 2 do
      admitted[#admitted + 1] = popped[i]
      head = tonumber(popped[i + 1])
    end
  end
  n = #admitted
  for _, token in ipairs(admitted) do
    redis.call('ZREM', DEADLINES, token)
    redis.call('HSET', wkey(token), 'state', 'admitted', 'admitted', now,
      'entry_deadline', deadline, 'active_until', deadline)
    redis.call('ZADD', ACTIVE, deadline, token)
  end
  chunked('HDEL', HOLDERS, admitted)
  redis.call('HSET', META, 'head', head)
  redis.call('ZREMRANGEBYSCORE', DEPARTED, '-inf', head)
  if d[6] and head >= tonumber(d[6]) then redis.call('DEL', PREDEPARTED) end
  redis.call('HINCRBY', META, 'c_admitted', n)
  redis.call('HINCRBY', HIST, int(now - now % BUCKET_MS), n)
  redis.call('HSETNX', META, 'hist_since', now)
end
redis.call('HSET', META, 'tokens', string.format('%.17g', tokens - n), 'bucket_ms', now)
local grown = not sale_open and c[5] ~= c[6]
if n > 0 or #lapsed > 0 or head ~= head_before or grown then
  redis.call('HSET', META, 'pub_seq', c[5])
  publish(now, '{"kind":"step","head":' .. int(head) .. ',"admitted":' .. n ..
    ',"next_seq":' .. c[5] .. ',"lapsed":' .. json_list(lapsed, true) ..
    ',"active":' .. redis.call('ZCARD', ACTIVE) .. ',"entry_window_secs":' .. c[3] .. '}')
end
local waiting, active = redis.call('ZCARD', WAITING), redis.call('ZCARD', ACTIVE)
if waiting == 0 and active == 0 and KEYS[9] then redis.call('ZREM', KEYS[9], ARGV[3]) end
return {n, #lapsed, waiting, active, num(c[5]), draw_due}
