-- config: applies a settings patch (creating the event from defaults if new), settling the
-- token bucket at the old rate first, and publishes the new settings.
-- KEYS: the eight event keys (prelude), and on a standalone server KEYS[9] = usher:events
-- ARGV: default rate, burst, max_active ('' = none), window_secs,
--       then the patch: rate, burst, max_active, window_secs, paused; each '' = unchanged,
--       max_active 'none' = remove the cap, paused '1'/'0'; then the event id
-- Returns: {created, rate, burst, max_active ('' = none), window_secs, paused}
local now = now_ms()
local created = ensure_event(now, ARGV[1], ARGV[2], ARGV[3], ARGV[4])
if created == 1 and KEYS[9] then redis.call('SADD', KEYS[9], ARGV[10]) end
local tokens = settle_bucket(now)
local fields = {'rate', 'burst', 'max_active', 'window', 'paused'}
for i, field in ipairs(fields) do
  local v = ARGV[4 + i]
  if v == 'none' then v = '' end
  if ARGV[4 + i] ~= '' then redis.call('HSET', META, field, v) end
end
local burst = tonumber(redis.call('HGET', META, 'burst'))
redis.call('HSET', META, 'tokens', string.format('%.17g', math.min(tokens, burst)), 'bucket_ms', now)
publish(now, '{"kind":"config",' .. string.sub(config_json(), 2))
local c = redis.call('HMGET', META, 'rate', 'burst', 'max_active', 'window', 'paused')
return {created, c[1], c[2], c[3], c[4], c[5]}
