-- minute: records an event's totals for one minute unless that minute has some already (every
-- node samples; the first wins), keeping the newest minutes.
-- KEYS[1] = the event's minutes (a sorted set: score = the minute's start, member = the JSON)
-- ARGV: minute_ms, the sample's JSON, how many minutes to keep
-- Returns 1 if recorded, 0 if the minute had a sample.
if #redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[1], 'LIMIT', 0, 1) > 0 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[3])
if over > 0 then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, over - 1) end
return 1
