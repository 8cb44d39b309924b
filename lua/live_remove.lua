-- live_remove: on a cluster, takes an event out of the live events after an admission step
-- found nobody waiting or active, unless a join took a later sequence number meanwhile (the
-- live set is in another slot than the event, so the step cannot do this itself).
-- KEYS[1] = usher:events:live (ZSET: event id scored by the highest sequence number joined)
-- ARGV: event id, the event's next_seq as the step saw it
-- Returns: 1 if removed
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) <= tonumber(ARGV[2]) then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
