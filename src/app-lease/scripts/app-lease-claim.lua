-- Takes or renews the lease on a Stasis app name: only its holder connects to Asterisk for it.
-- KEYS[1] lease, KEYS[2] standbys (sorted set: token -> until, in Redis's own clock ms).
-- ARGV: token, lease ms. Returns the holder's token after the step: ARGV[1] when this
-- instance holds the lease now; another token when it stands by (then it is counted as a
-- standby for the lease's length, so a holder stopping knows someone will take over).
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  redis.call('ZREM', KEYS[2], ARGV[1])
  return ARGV[1]
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  redis.call('ZREM', KEYS[2], ARGV[1])
  return ARGV[1]
end
local time = redis.call('TIME')
local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZADD', KEYS[2], nowMs + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[2] * 2)
return holder
