-- config: applies a settings patch (creating the event from defaults if new), settling the
-- token bucket at the old rate first, and publishes the new settings.
-- KEYS: the eight event keys (prelude), and on a standalone server KEYS[9] = usher:events
-- A patch that lifts a hold extends the entry windows of the admitted by as long as the hold
-- held them (admission and lapsing were stopped meanwhile).
-- ARGV: default rate, burst, max_active ('' = none), window_secs,
--       then the patch: rate, burst, max_active, window_secs, paused, hold; each '' =
--       unchanged, max_active 'none' = remove the cap, paused '1'/'0', hold 'none' = lift it
--       or 'since_ms:until_ms:reason'; then the event id; then the schedule ('' = unchanged,
--       'none' = remove it, else its JSON) and a random start's seed ('' = none, else
--       'seed:commitment' in hex, recorded once: a committed seed is never replaced); then
--       the proof-of-work difficulty ('' = unchanged); then queue_all ('' = unchanged, '1'/'0')
--       and the announcement ('' = unchanged, 'none' = remove it, else its JSON)
-- Returns: {created, rate, burst, max_active ('' = none), window_secs, paused, hold_reason,
--           hold_since, hold_until, schedule, pow, queue_all, announcement}
local now = now_ms()
local created = ensure_event(now, ARGV[1], ARGV[2], ARGV[3], ARGV[4])
if created == 1 and KEYS[9] then redis.call('SADD', KEYS[9], ARGV[11]) end
local tokens = settle_bucket(now)
local fields = {'rate', 'burst', 'max_active', 'window', 'paused'}
for i, field in ipairs(fields) do
  local v = ARGV[4 + i]
  if v == 'none' then v = '' end
  if ARGV[4 + i] ~= '' then redis.call('HSET', META, field, v) end
end
local hold = ARGV[10]
if hold == 'none' then
  local h = redis.call('HMGET', META, 'hold_since', 'hold_until')
  if h[1] then
    local ext = math.min(now, tonumber(h[2])) - tonumber(h[1])
    if ext > 0 then
      local active = redis.call('ZRANGE', ACTIVE, 0, -1, 'WITHSCORES')
      for i = 1, #active, 2 do
        local token, w = active[i], wkey(active[i])
        if redis.call('HGET', w, 'state') == 'admitted' then
          local deadline = tonumber(active[i + 1]) + ext
          redis.call('ZADD', ACTIVE, deadline, token)
          redis.call('HSET', w, 'entry_deadline', deadline, 'active_until', deadline)
        end
      end
    end
  end
  redis.call('HDEL', META, 'hold_reason', 'hold_since', 'hold_until')
elseif hold ~= '' then
  local since, until_ms, reason = string.match(hold, '^(%d+):(%d+):(.*)$')
  redis.call('HSET', META, 'hold_reason', reason, 'hold_since', since, 'hold_until', until_ms)
end
if ARGV[12] == 'none' then
  redis.call('HDEL', META, 'schedule')
elseif ARGV[12] ~= '' then
  redis.call('HSET', META, 'schedule', ARGV[12])
end
if ARGV[13] ~= '' and not redis.call('HGET', META, 'draw_commit') then
  local seed, commitment = string.match(ARGV[13], '^(%x+):(%x+)$')
  redis.call('HSET', META, 'draw_seed', seed, 'draw_commit', commitment)
end
if ARGV[14] ~= '' then redis.call('HSET', META, 'pow', ARGV[14]) end
if ARGV[15] ~= '' then redis.call('HSET', META, 'queue_all', ARGV[15]) end
if ARGV[16] == 'none' then
  redis.call('HDEL', META, 'announce')
elseif ARGV[16] ~= '' then
  redis.call('HSET', META, 'announce', ARGV[16])
end
local burst = tonumber(redis.call('HGET', META, 'burst'))
redis.call('HSET', META, 'tokens', string.format('%.17g', math.min(tokens, burst)), 'bucket_ms', now)
publish(now, '{"kind":"config",' .. string.sub(config_json(), 2))
local c = redis.call('HMGET', META, 'rate', 'burst', 'max_active', 'window', 'paused',
  'hold_reason', 'hold_since', 'hold_until', 'schedule', 'pow', 'queue_all', 'announce')
return {created, c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12]}
