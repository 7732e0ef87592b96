-- Stores one outbound message durably, once, in the outbox stream of every sink that takes it.
-- KEYS[1] enqueued marker of the event id, KEYS[2] the call's sequence counter, KEYS[3..] sink streams
-- ARGV: eventId, callId, type, message JSON (without sequence), marker TTL seconds
-- Returns the message's sequence number in its call, or 0 when this event id was stored before
-- (a retried write whose first try had in fact succeeded).
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[5]) then
  return 0
end
local seq = redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[5])
for i = 3, #KEYS do
  redis.call('XADD', KEYS[i], '*', 'e', ARGV[1], 'c', ARGV[2], 't', ARGV[3], 's', seq, 'm', ARGV[4])
end
return seq
