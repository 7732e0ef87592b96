-- Stores one sample of the live figures in its minute slot, unless an instance stored one
-- there already, and drops the samples older than the retention: one sample per slot however
-- many instances sample, in one step.
-- KEYS[1]: the history sorted set.
-- ARGV: slot (epoch ms, the score), sample JSON, oldest slot kept (epoch ms), key TTL (ms).
-- Returns 1 when stored, 0 when the slot had its sample.
if redis.call('ZCOUNT', KEYS[1], ARGV[1], ARGV[1]) > 0 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
