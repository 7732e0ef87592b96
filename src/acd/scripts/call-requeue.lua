-- Puts an offered call back in its queue where it was (its original order score), so it
-- is ahead of every call of its priority that came after it: after a ring timeout or a
-- rejection the caller does not lose their place. Only the offer that failed may put it
-- back: a late report of an older offer finds another offer channel and changes nothing.
-- KEYS[1] call hash
-- ARGV: waiting-set prefix, call id, the offer channel that failed ('' = whichever)
-- Returns the agent the call was offered to, or false when the call was not (so) offered.
local f = redis.call('HMGET', KEYS[1], 'queue', 'state', 'agent', 'order', 'skill', 'offerChannel')
if f[2] ~= 'offered' then return false end
if ARGV[3] ~= '' and f[6] ~= ARGV[3] then return false end
redis.call('HSET', KEYS[1], 'state', 'waiting')
redis.call('HDEL', KEYS[1], 'agent', 'offeredAt', 'offerChannel')
redis.call('ZADD', ARGV[1] .. f[1] .. ':' .. f[5], f[4], ARGV[2])
return f[3]
