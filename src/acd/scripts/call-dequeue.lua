-- Takes a call out of the ACD (the caller hung up, or the call left by the overflow).
-- KEYS[1] call hash
-- ARGV: waiting-set prefix, call id
-- Returns {state, agent id or '', offer channel or ''} of the call as it was ('waiting' or
-- 'offered'), {} when unknown.
local f = redis.call('HMGET', KEYS[1], 'queue', 'state', 'agent', 'skill', 'offerChannel')
if not f[1] then return {} end
redis.call('ZREM', ARGV[1] .. f[1] .. ':' .. f[4], ARGV[2])
redis.call('DEL', KEYS[1])
return {f[2], f[3] or '', f[5] or ''}
