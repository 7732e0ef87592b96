-- Moves a waiting survey's next call (a supervisor's decision), widening its window when the
-- new time lies beyond it.
-- KEYS[1] job hash, KEYS[2] due set
-- ARGV: survey id, due at (ms), window end at least (ms)
-- Returns 'rescheduled', the state it is in instead ('calling', 'sms', 'done'), or 'unknown'.
local f = redis.call('HMGET', KEYS[1], 'state', 'windowUntil')
if not f[1] then return 'unknown' end
if f[1] ~= 'pending' then return f[1] end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[1], 'dueAt', ARGV[2])
if tonumber(f[2]) < tonumber(ARGV[3]) then redis.call('HSET', KEYS[1], 'windowUntil', ARGV[3]) end
return 'rescheduled'
