-- Stores an inbound ticket event once, before the webhook answers 2xx.
-- KEYS[1] seen marker of the event id, KEYS[2] inbound stream
-- ARGV: eventId, type, event JSON, marker TTL seconds
-- Returns 1 when stored now, 0 when this event id was received before.
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[4]) then
  return 0
end
redis.call('XADD', KEYS[2], '*', 'e', ARGV[1], 't', ARGV[2], 'm', ARGV[3])
return 1
