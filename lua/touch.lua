-- touch: moves the heartbeat deadlines of a batch of waiting tokens (a node's open sockets).
-- Only tokens still in the deadline set (waiting ones) are touched (XX).
-- KEYS: the eight event keys (prelude)
-- ARGV: mode ('at_least' = never shorten, 'exactly' = set), ms, token...
-- Returns: the number of tokens given
local now = now_ms()
local deadline = now + tonumber(ARGV[2])
local chunk = 1000
for first = 3, #ARGV, chunk do
  local args = {'ZADD', DEADLINES, 'XX'}
  if ARGV[1] == 'at_least' then args[#args + 1] = 'GT' end
  for i = first, math.min(#ARGV, first + chunk - 1) do
    args[#args + 1] = deadline
    args[#args + 1] = ARGV[i]
  end
  redis.call(unpack(args))
end
return #ARGV - 2
