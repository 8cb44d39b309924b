-- Shared prelude of every per-event script (prepended when the script is loaded).
--
-- KEYS of every event script, all hash-tagged {E} so they share one cluster slot:
--   KEYS[1] usher:{E}:meta       HASH  settings, counters, version, next_seq, head, bucket,
--                                      joined_ms (last join), auto ('1': deleted once idle)
--   KEYS[2] usher:{E}:waiting    ZSET  score seq, member token: the queue
--   KEYS[3] usher:{E}:departed   ZSET  score seq, member seq: left/reaped above head
--   KEYS[4] usher:{E}:deadlines  ZSET  score ms, member token: heartbeat deadlines (waiting only)
--   KEYS[5] usher:{E}:active     ZSET  score ms, member token: admitted/entered until
--   KEYS[6] usher:{E}:users      HASH  user id -> live token (one place per user)
--   KEYS[7] usher:{E}:hist       HASH  second (ms) -> admissions, last 15 minutes
--   KEYS[8] usher:{E}:updates    sharded pub/sub channel of the event
-- Waiter records live at usher:{E}:w:<token> (same slot), built from the meta key's prefix, as
-- do usher:{E}:holders (HASH waiting token -> id of the node whose socket holds it) and
-- usher:{E}:leases (HASH node id -> lease end, ms).
-- Time always comes from the server (TIME), never from a node's clock.

local META, WAITING, DEPARTED, DEADLINES = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local ACTIVE, USERS, HIST, CHANNEL = KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local PREFIX = string.sub(META, 1, -5)
local HOLDERS, LEASES = PREFIX .. 'holders', PREFIX .. 'leases'
local HISTORY_SPAN_MS = 15 * 60 * 1000
local BUCKET_MS = 1000

local function wkey(token)
  return PREFIX .. 'w:' .. token
end

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

-- Integers as JSON/RESP text without exponent notation.
local function int(n)
  return string.format('%d', n)
end

local function num(s)
  return tonumber(s) or 0
end

local function config_json()
  local c = redis.call('HMGET', META, 'rate', 'burst', 'max_active', 'window', 'paused',
    'hold_reason', 'hold_since', 'hold_until')
  local max_active = 'null'
  if c[3] and c[3] ~= '' then max_active = c[3] end
  local paused = 'false'
  if c[5] == '1' then paused = 'true' end
  local hold = ''
  if c[6] then
    hold = ',"hold":{"reason":' .. cjson.encode(c[6]) .. ',"since_ms":' .. c[7] ..
      ',"until_ms":' .. c[8] .. '}'
  end
  return '{"rate_per_sec":' .. c[1] .. ',"burst":' .. c[2] .. ',"max_active":' .. max_active ..
    ',"entry_window_secs":' .. c[4] .. ',"paused":' .. paused .. hold .. '}'
end

-- Publishes one change with the next version number; returns that version.
local function publish(now, change)
  local v = redis.call('HINCRBY', META, 'version', 1)
  local born = redis.call('HGET', META, 'born') or '0'
  redis.call('SPUBLISH', CHANNEL, '{"born":' .. born .. ',"version":' .. int(v) ..
    ',"at_ms":' .. int(now) .. ',"change":' .. change .. '}')
  return v
end

-- Runs `cmd key item...` over `items` in chunks of 1,000 (Lua's unpack is bounded) and returns
-- the replies' elements in order.
local function chunked(cmd, key, items)
  local out = {}
  for first = 1, #items, 1000 do
    local reply = redis.call(cmd, key, unpack(items, first, math.min(#items, first + 999)))
    if type(reply) == 'table' then
      for j = 1, #reply do out[#out + 1] = reply[j] end
    end
  end
  return out
end

local function json_list(items, quoted)
  local out = {}
  for i, v in ipairs(items) do
    if quoted then out[i] = '"' .. v .. '"' else out[i] = v end
  end
  return '[' .. table.concat(out, ',') .. ']'
end

-- Creates the event from defaults (rate, burst, max_active or '', window) if it does not exist.
-- Returns 1 if created.
local function ensure_event(now, rate, burst, max_active, window)
  if redis.call('EXISTS', META) == 1 then return 0 end
  -- The event's life: microseconds of the server's clock at its creation.
  local t = redis.call('TIME')
  local born = t[1] .. string.format('%06d', tonumber(t[2]))
  redis.call('HSET', META, 'born', born, 'rate', rate, 'burst', burst, 'max_active', max_active,
    'window', window, 'paused', '0', 'version', 0, 'next_seq', 0, 'head', 0,
    'tokens', burst, 'bucket_ms', now)
  return 1
end

-- Refills the token bucket up to now at the current rate.
local function settle_bucket(now)
  local b = redis.call('HMGET', META, 'rate', 'burst', 'tokens', 'bucket_ms')
  local elapsed = math.max(0, now - num(b[4])) / 1000
  local tokens = math.min(num(b[2]), num(b[3]) + elapsed * num(b[1]))
  return tokens
end

-- Ends a waiter's place: the user may join again; the record is forgotten at forget_at.
local function release(w, user, forget_at)
  if user and user ~= '' then redis.call('HDEL', USERS, user) end
  redis.call('PEXPIREAT', w, forget_at)
end

-- Drops history buckets older than the span; with none left, measurement restarts.
local function trim_history(now)
  local h = redis.call('HKEYS', HIST)
  local cutoff = now - HISTORY_SPAN_MS
  for _, bucket in ipairs(h) do
    if tonumber(bucket) + BUCKET_MS <= cutoff then redis.call('HDEL', HIST, bucket) end
  end
  if redis.call('HLEN', HIST) == 0 then redis.call('HDEL', META, 'hist_since') end
end
