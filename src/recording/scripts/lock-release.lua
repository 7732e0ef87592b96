-- Releases a lock only for its holder: a holder whose lock expired must not free the next one's.
-- KEYS[1] the lock, ARGV[1] the holder's token. Returns 1 when released.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
