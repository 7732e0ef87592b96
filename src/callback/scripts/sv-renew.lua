-- Keeps a survey this owner is calling leased for longer (a survey call lasts minutes).
-- KEYS[1] job hash, KEYS[2] leased set
-- ARGV: survey id, owner, lease until (ms)
-- Returns 1 when extended, 0 when the survey is not this owner's (any more).
local f = redis.call('HMGET', KEYS[1], 'state', 'owner')
if f[1] ~= 'calling' or f[2] ~= ARGV[2] then return 0 end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
