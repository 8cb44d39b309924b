-- delete_idle: deletes an event a join opened on its own ('auto') once nobody waits or is
-- active in it and nobody has joined it for idle_ms. Waiter records expire on their own.
-- KEYS: the eight event keys (prelude), and on a standalone server KEYS[9] = usher:events,
--       KEYS[10] = usher:events:live
-- ARGV: idle_ms, event id
-- Returns: 1 if deleted
if redis.call('HGET', META, 'auto') ~= '1' then return 0 end
if redis.call('ZCARD', WAITING) > 0 or redis.call('ZCARD', ACTIVE) > 0 then return 0 end
if now_ms() - num(redis.call('HGET', META, 'joined_ms')) < tonumber(ARGV[1]) then return 0 end
redis.call('DEL', META, WAITING, DEPARTED, DEADLINES, ACTIVE, USERS, HIST, HOLDERS, LEASES,
  ENTRIES, PREDEPARTED, CHUNKS)
if KEYS[9] then
  redis.call('SREM', KEYS[9], ARGV[2])
  redis.call('ZREM', KEYS[10], ARGV[2])
end
return 1
