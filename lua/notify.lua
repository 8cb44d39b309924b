-- notify: publishes a notice on the event's channel: for one waiter (a reservation or payment
-- outcome; whichever node holds the waiter's socket pushes it), or for every socket of the event.
-- KEYS: the eight event keys (prelude)
-- ARGV: token ('' = every socket), notice (JSON object)
-- Returns: 1 if published, 0 if the event does not exist
if redis.call('EXISTS', META) == 0 then return 0 end
local token = 'null'
if ARGV[1] ~= '' then token = '"' .. ARGV[1] .. '"' end
publish(now_ms(), '{"kind":"notice","token":' .. token .. ',"notice":' .. ARGV[2] .. '}')
return 1
