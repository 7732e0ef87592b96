-- Stores an inbound ticket event once, before the webhook answers 2xx.
-- KEYS[1] seen marker of the event id (holds the digest of the event), KEYS[2] inbound stream
-- ARGV: eventId, type, event JSON, marker TTL seconds, digest of the event
-- Returns 1 when stored now, 0 when this event id was received before with the same
-- content, -1 when it was received before with other content (nothing stored).
local seen = redis.call('GET', KEYS[1])
if seen then
  -- '1': a marker written before markers held a digest; its content cannot be compared.
  if seen == ARGV[5] or seen == '1' then
    return 0
  end
  return -1
end
redis.call('SET', KEYS[1], ARGV[5], 'EX', ARGV[4])
redis.call('XADD', KEYS[2], '*', 'e', ARGV[1], 't', ARGV[2], 'm', ARGV[3])
return 1
