-- notify: publishes a notice for one waiter (a reservation or payment outcome) on the event's
-- channel, so that whichever node holds the waiter's socket pushes it.
-- KEYS: the eight event keys (prelude)
-- ARGV: token, notice (JSON object)
-- Returns: 1 if published, 0 if the event does not exist
if redis.call('EXISTS', META) == 0 then return 0 end
publish(now_ms(), '{"kind":"notice","token":"' .. ARGV[1] .. '","notice":' .. ARGV[2] .. '}')
return 1
