-- records: reads waiters' records of one event at once (a node settling its sockets after it
-- missed updates); the caller sends bounded batches.
-- KEYS: the eight event keys (prelude)
-- ARGV: tokens
-- Returns: per token, its record as a flat field/value list (empty if the event has no such
-- waiter)
local out = {}
for i = 1, #ARGV do
  out[i] = redis.call('HGETALL', wkey(ARGV[i]))
end
return out
