-- create: creates an event with the given settings unless it exists (nothing is published: a
-- new event has no watchers yet).
-- KEYS: the eight event keys (prelude), and on a standalone server KEYS[9] = usher:events
-- ARGV: rate, burst, max_active ('' = none), window_secs, auto ('1': opened by a join on its
--       own, deleted once idle), event id
-- Returns: 1 if created, 0 if it existed
local now = now_ms()
if ensure_event(now, ARGV[1], ARGV[2], ARGV[3], ARGV[4]) == 0 then return 0 end
redis.call('HSET', META, 'joined_ms', now)
if ARGV[5] == '1' then redis.call('HSET', META, 'auto', '1') end
if KEYS[9] then redis.call('SADD', KEYS[9], ARGV[6]) end
return 1
