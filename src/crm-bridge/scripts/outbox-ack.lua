-- A sink took the message: forget it (acknowledge, delete from the outbox, drop its attempt count).
-- KEYS[1] sink outbox stream, KEYS[2] attempt counts; ARGV: group, entry id
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[2])
return 1
