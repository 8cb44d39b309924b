-- status: reads a waiter's record; with a heartbeat, extends a waiting token's deadline to at
-- least now + heartbeat_ms.
-- KEYS: the eight event keys (prelude), KEYS[9] = the waiter's record
-- ARGV: token, heartbeat_ms (0 = read only)
-- Returns: the record as a flat field/value list, or an empty list if unknown
local rec = redis.call('HGETALL', KEYS[9])
if #rec == 0 then return rec end
local hb = tonumber(ARGV[2])
if hb > 0 and redis.call('HGET', KEYS[9], 'state') == 'waiting' then
  redis.call('ZADD', DEADLINES, 'XX', 'GT', now_ms() + hb, ARGV[1])
end
return rec
