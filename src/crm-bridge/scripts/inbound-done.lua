-- An inbound ticket event is finished with: handled, or given up on (then kept in the
-- dead-letter stream with the reason).
-- KEYS[1] inbound stream, KEYS[2] attempt counts, KEYS[3] inbound dead-letter stream
-- ARGV: group, entry id, dead ('1' or '0'), eventId, type, event JSON, last error, dead-at
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[2])
if ARGV[3] == '1' then
  redis.call('XADD', KEYS[3], '*', 'e', ARGV[4], 't', ARGV[5], 'm', ARGV[6], 'error', ARGV[7], 'at', ARGV[8])
end
return 1
