-- Claims the texts due now for one sender: each is pushed out by the lease, so no other
-- instance takes it meanwhile, and is due again by itself if this one dies before recording
-- a result. The claim counts as an attempt.
-- KEYS: due; ARGV: now ms, lease ms, limit, message key prefix
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local until_ms = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, id in ipairs(ids) do
  redis.call('ZADD', KEYS[1], until_ms, id)
  redis.call('HINCRBY', ARGV[4] .. id, 'attempts', 1)
  redis.call('HSET', ARGV[4] .. id, 'state', 'sending', 'updatedAt', ARGV[1])
end
return ids
