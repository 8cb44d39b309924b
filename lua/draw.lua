-- draw: records a random start's made draw, once: only while the entry list is closed with
-- ARGV[1] entrants and undrawn, for the committed seed and the beacon value given. From then
-- on entrants are admitted, and their departures published, by rank. Publishes the draw.
-- KEYS: the eight event keys (prelude)
-- ARGV: entrants, entry root, beacon value ('' = none), seed, key (all hex but the beacon),
--       the chunk roots (hex, comma-separated)
-- Returns: 1 if recorded, 0 if not
if redis.call('EXISTS', META) == 0 then return 0 end
local d = redis.call('HMGET', META, 'draw_closed', 'draw_at', 'draw_n', 'draw_seed',
  'draw_beacon')
if not d[1] or d[2] or d[3] ~= ARGV[1] or d[4] ~= ARGV[4] or (d[5] or '') ~= ARGV[3] then
  return 0
end
local now = now_ms()
redis.call('HSET', META, 'draw_root', ARGV[2], 'draw_key', ARGV[5], 'draw_at', now)
redis.call('SET', CHUNKS, ARGV[6])
publish(now, '{"kind":"draw",' .. string.sub(draw_json(), 2))
return 1
