-- Gives the lease back (a stop, a hand-over) so a standby takes the app at once.
-- KEYS[1] lease, KEYS[2] standbys; ARGV: token. Only the holder may release it. Returns 1 if released.
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
