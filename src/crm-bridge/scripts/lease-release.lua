-- Gives the lease back on a clean stop so another instance can deliver at once.
-- KEYS[1] lease; ARGV: owner id. Only the holder may release it.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
