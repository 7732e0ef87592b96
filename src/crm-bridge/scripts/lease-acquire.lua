-- Takes or renews the lease that makes one instance the only deliverer of a sink.
-- KEYS[1] lease; ARGV: owner id, lease ms. Returns 1 when held by this owner, 0 otherwise.
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
