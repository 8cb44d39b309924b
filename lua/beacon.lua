-- beacon: records the value of the beacon round a random start names, once, and only after
-- its entry list closed (a value known before the close could steer who enters).
-- KEYS: the eight event keys (prelude)
-- ARGV: the value
-- Returns: 'set' | 'no_round' | 'not_closed' | 'already' | 'not_found'
if redis.call('EXISTS', META) == 0 then return 'not_found' end
local s = schedule()
if not s or not s.beacon_round or not redis.call('HGET', META, 'draw_commit') then
  return 'no_round'
end
local d = redis.call('HMGET', META, 'draw_closed', 'draw_at', 'draw_beacon')
if not d[1] then return 'not_closed' end
if d[2] or d[3] then return 'already' end
redis.call('HSET', META, 'draw_beacon', ARGV[1])
return 'set'
