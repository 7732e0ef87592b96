-- Extends the lease of a job this owner holds (an agent reservation may wait a while in the queue).
-- KEYS[1] job hash, KEYS[2] leased set
-- ARGV: job id, owner, lease until (ms)
-- Returns 1 when extended, 0 when the job is not this owner's (any more).
local f = redis.call('HMGET', KEYS[1], 'state', 'owner')
if f[1] ~= 'leased' or f[2] ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], 'leaseUntil', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
