-- A waiting caller's place in their queue (1 = next), whatever skill the calls ask for:
-- one more than the calls of the queue ahead of it in every skill's waiting set.
-- KEYS[1] call hash
-- ARGV: waiting-set prefix, then the skills
-- Returns the place, or 0 when the call is not waiting.
local f = redis.call('HMGET', KEYS[1], 'queue', 'order', 'state')
if not f[1] or not f[2] or f[3] ~= 'waiting' then return 0 end
local ahead = 0
for i = 2, #ARGV do
  ahead = ahead + redis.call('ZCOUNT', ARGV[1] .. f[1] .. ':' .. ARGV[i], '-inf', '(' .. f[2])
end
return ahead + 1
