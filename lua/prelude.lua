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
-- do usher:{E}:holders (HASH waiting token -> id of the node whose socket holds it),
-- usher:{E}:leases (HASH node id -> lease end, ms), and for a random start's draw
-- usher:{E}:entries (HASH entry index -> token: the entry list), usher:{E}:predeparted (ZSET
-- score seq: entrants who departed before the draw) and usher:{E}:chunks (STRING: the chunk
-- roots of the entry list, hex, comma-separated).
-- A scheduled sale keeps its schedule in meta 'schedule' (JSON), and a random start its draw
-- in meta draw_seed (secret until drawn), draw_commit, draw_n and draw_closed (the close),
-- draw_beacon, draw_root, draw_key and draw_at (the draw), draw_lease (until when the node
-- given the draw to make has it).
-- Time always comes from the server (TIME), never from a node's clock.

local META, WAITING, DEPARTED, DEADLINES = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local ACTIVE, USERS, HIST, CHANNEL = KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local PREFIX = string.sub(META, 1, -5)
local HOLDERS, LEASES = PREFIX .. 'holders', PREFIX .. 'leases'
local ENTRIES, PREDEPARTED, CHUNKS = PREFIX .. 'entries', PREFIX .. 'predeparted', PREFIX .. 'chunks'
local DRAW_LEASE_MS = 30000
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
    'hold_reason', 'hold_since', 'hold_until', 'schedule', 'pow', 'queue_all', 'announce')
  local max_active = 'null'
  if c[3] and c[3] ~= '' then max_active = c[3] end
  local paused = 'false'
  if c[5] == '1' then paused = 'true' end
  local hold = ''
  if c[6] then
    hold = ',"hold":{"reason":' .. cjson.encode(c[6]) .. ',"since_ms":' .. c[7] ..
      ',"until_ms":' .. c[8] .. '}'
  end
  if c[9] then hold = hold .. ',"schedule":' .. c[9] end
  if c[10] and c[10] ~= '0' then hold = hold .. ',"pow_difficulty":' .. c[10] end
  if c[11] == '1' then hold = hold .. ',"queue_all":true' end
  if c[12] then hold = hold .. ',"announcement":' .. c[12] end
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

-- The sale's schedule (src/store/mod.rs, Schedule), or nil.
local function schedule()
  local s = redis.call('HGET', META, 'schedule')
  if not s then return nil end
  return cjson.decode(s)
end

-- The draw of a random start, usher-draw-v1 (src/draw.rs; the README states it): a Feistel
-- network of eight rounds over the smallest square power of two holding the entrants,
-- cycle-walked into range, keyed by draw_key. nil until drawn (or with nobody drawn).
local draw_cache
local function draw_perm()
  if draw_cache == nil then
    draw_cache = false
    local d = redis.call('HMGET', META, 'draw_key', 'draw_n')
    if d[1] and tonumber(d[2]) > 0 then
      local n, half = tonumber(d[2]), 1
      while half < 32 and 4 ^ half < n do half = half + 1 end
      draw_cache = {key = d[1], n = n, m = 2 ^ half}
    end
  end
  return draw_cache or nil
end

local function draw_round(p, r, v)
  local h = redis.sha1hex(p.key .. ':' .. r .. ':' .. int(v))
  return tonumber(string.sub(h, 1, 8), 16) % p.m
end

local function draw_encrypt(p, x)
  local l, r = math.floor(x / p.m), x % p.m
  for i = 0, 7 do l, r = r, (l + draw_round(p, i, r)) % p.m end
  return l * p.m + r
end

local function draw_decrypt(p, y)
  local l, r = math.floor(y / p.m), y % p.m
  for i = 7, 0, -1 do l, r = (r - draw_round(p, i, l)) % p.m, l end
  return l * p.m + r
end

-- The admission order of seq: its rank once drawn, itself beyond the entrants.
local function order_of(seq)
  local p = draw_perm()
  if not p or seq > p.n then return seq end
  local y = draw_encrypt(p, seq - 1)
  while y >= p.n do y = draw_encrypt(p, y) end
  return y + 1
end

-- The sequence number of the entrant drawn at rank.
local function entrant_at(p, rank)
  local x = draw_decrypt(p, rank - 1)
  while x >= p.n do x = draw_decrypt(p, x) end
  return x + 1
end

-- The draw's public record as JSON (src/store/mod.rs, DrawRecord): the seed only once drawn.
local function draw_json()
  local d = redis.call('HMGET', META, 'draw_commit', 'draw_n', 'draw_closed', 'draw_root',
    'draw_beacon', 'draw_seed', 'draw_key', 'draw_at')
  local out = {'"commitment":"' .. d[1] .. '"'}
  if d[2] then out[#out + 1] = '"entrants":' .. d[2] .. ',"closed_at_ms":' .. d[3] end
  if d[4] then out[#out + 1] = '"root":"' .. d[4] .. '"' end
  if d[5] then out[#out + 1] = '"beacon_value":' .. cjson.encode(d[5]) end
  if d[8] then out[#out + 1] = '"seed":"' .. d[6] .. '","drawn_at_ms":' .. d[8] end
  if d[7] then out[#out + 1] = '"key":"' .. d[7] .. '"' end
  return '{' .. table.concat(out, ',') .. '}'
end

-- Whether the entry list of a random start is open: joins are its entrants.
local function entry_list_open()
  local d = redis.call('HMGET', META, 'draw_commit', 'draw_closed')
  return d[1] ~= false and d[2] == false
end

-- Closes a random start's entry list once the sale has started (the first operation at or
-- after sale_starts_at does) and publishes the close. An empty pre-queue is drawn at once.
-- s: the event's schedule (schedule()), which the caller has read.
local function close_if_due(now, s)
  if not s or s.queueing_method ~= 'random_at_start' or now < s.sale_starts_at_ms then return end
  if not entry_list_open() then return end
  local n = redis.call('HGET', META, 'next_seq')
  redis.call('HSET', META, 'draw_closed', now, 'draw_n', n)
  if tonumber(n) == 0 then redis.call('HSET', META, 'draw_at', now) end
  publish(now, '{"kind":"draw",' .. string.sub(draw_json(), 2))
end

-- The highest seq whose departure is kept apart, by seq, because the draw that ranks it is
-- not made (every seq while the entry list is open), or nil: read once per script, as draw_perm.
local undrawn_cache
local function undrawn_limit()
  if undrawn_cache == nil then
    undrawn_cache = false
    local d = redis.call('HMGET', META, 'draw_commit', 'draw_at', 'draw_n')
    if d[1] and not d[2] then undrawn_cache = tonumber(d[3]) or math.huge end
  end
  return undrawn_cache or nil
end

-- Records a waiting seq's departure; returns the number it is published under: its order, or
-- its seq while the draw that ranks it is not made (kept apart until then).
local function depart(seq)
  seq = tonumber(seq)
  local limit = undrawn_limit()
  if limit and seq <= limit then
    redis.call('ZADD', PREDEPARTED, seq, seq)
    return seq
  end
  local o = order_of(seq)
  redis.call('ZADD', DEPARTED, o, o)
  return o
end
