-- touch: moves the heartbeat deadlines of a batch of waiting tokens (a node's open sockets).
-- Only tokens still waiting (in the deadline set) are touched.
-- 'held': deadlines never shorten, the node holds the tokens (holders: token -> 'node:now'),
-- and its lease on the event is renewed (reapers leave its waiters alone while it lasts). 'exactly': deadlines are set
-- (a socket closed: the grace period starts now) and nobody holds the tokens any more.
-- KEYS: the eight event keys (prelude)
-- ARGV: mode ('held' | 'exactly'), ms, node id, lease_ms, token...
-- Returns: the number of tokens given
local now = now_ms()
local deadline = now + tonumber(ARGV[2])
local held = ARGV[1] == 'held'
local node = ARGV[3]
if held then redis.call('HSET', LEASES, node, int(now + tonumber(ARGV[4])) .. ':' .. int(now)) end
local chunk = 1000
for first = 5, #ARGV, chunk do
  local batch = {}
  for i = first, math.min(#ARGV, first + chunk - 1) do batch[#batch + 1] = ARGV[i] end
  local scores = redis.call('ZMSCORE', DEADLINES, unpack(batch))
  local args = {'ZADD', DEADLINES, 'XX'}
  if held then args[#args + 1] = 'GT' end
  local owners = {'HSET', HOLDERS}
  if not held then owners = {'HDEL', HOLDERS} end
  for i, token in ipairs(batch) do
    if scores[i] then
      args[#args + 1] = deadline
      args[#args + 1] = token
      owners[#owners + 1] = token
      if held then owners[#owners + 1] = node .. ':' .. int(now) end
    end
  end
  if #owners > 2 then
    redis.call(unpack(args))
    redis.call(unpack(owners))
  end
end
return #ARGV - 4
