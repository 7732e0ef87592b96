-- Stores the live call records changed in one loop turn, in one step: each record with its
-- TTL, its call-id pointer, and its place in the live index (by this change's time while
-- live, out of it once ended).
-- KEYS[1] index; then per record KEYS[2i] record, KEYS[2i+1] call-id pointer (i = 1..n)
-- ARGV[1] now (ms); then per record ARGV[3i-1] channel id, ARGV[3i] JSON, ARGV[3i+1] "ttl" or "-ttl" when ended
local index = KEYS[1]
local now = ARGV[1]
local n = (#KEYS - 1) / 2
for i = 1, n do
  local channel = ARGV[3 * i - 1]
  local ttl = tonumber(ARGV[3 * i + 1])
  local ended = ttl < 0
  if ended then ttl = -ttl end
  redis.call('SET', KEYS[2 * i], ARGV[3 * i], 'EX', ttl)
  redis.call('SET', KEYS[2 * i + 1], channel, 'EX', ttl)
  if ended then
    redis.call('ZREM', index, channel)
  else
    redis.call('ZADD', index, now, channel)
  end
end
return n
