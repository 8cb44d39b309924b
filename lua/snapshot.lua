-- snapshot: the event's whole derivable state, for building a node's local view.
-- KEYS: the eight event keys (prelude)
-- ARGV: none
-- Returns: {} if the event does not exist, else
--   {meta field/value list, departed seqs (ascending), active count, history field/value list,
--    now_ms, seqs of entrants who departed before the draw (ascending)}
if redis.call('EXISTS', META) == 0 then return {} end
local now = now_ms()
trim_history(now)
return {
  redis.call('HGETALL', META),
  redis.call('ZRANGE', DEPARTED, 0, -1),
  redis.call('ZCARD', ACTIVE),
  redis.call('HGETALL', HIST),
  now,
  redis.call('ZRANGE', PREDEPARTED, 0, -1),
}
