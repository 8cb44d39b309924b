-- touch: moves the heartbeat deadlines of a batch of waiting tokens (a node's open sockets).
-- Only tokens still waiting (in the deadline set) are touched.
-- 'held' / 'held_all': deadlines never shorten, the node holds the tokens (holders: token ->
-- 'node:now'), and its lease on the event is extended (leases: node -> 'until:renewed'; reapers
-- leave its waiters alone while it lasts). 'held_all' names all the node's sockets of the event:
-- the lease's renewal stamp moves to now, so a waiter left out is no longer held by the node. 'exactly': deadlines are set
-- (a socket closed: the grace period starts now) and nobody holds the tokens any more.
-- KEYS: the eight event keys (prelude)
-- ARGV: mode ('held' | 'held_all' | 'exactly'), ms, node id, lease_ms, token...
-- Returns: the number of tokens given
local now = now_ms()
local deadline = now + tonumber(ARGV[2])
local held = ARGV[1] == 'held' or ARGV[1] == 'held_all'
local node = ARGV[3]
if held then
  local renewed = now
  if ARGV[1] == 'held' then
    local lease = redis.call('HGET', LEASES, node)
    renewed = tonumber(lease and string.match(lease, ':(%d+)$')) or now
  end
  redis.call('HSET', LEASES, node, int(now + tonumber(ARGV[4])) .. ':' .. int(renewed))
end
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
