-- How many other instances stand by for the app now (counted within the last lease length).
-- KEYS[1] standbys; ARGV: token of the asking instance (not counted).
local time = redis.call('TIME')
local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', nowMs)
local count = redis.call('ZCARD', KEYS[1])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then count = count - 1 end
return count
