-- Moves an outbox entry to the sink's dead-letter stream and marks its call as held: later
-- messages of the same call follow it there, so a replay can restore the call's order.
-- KEYS[1] outbox stream, KEYS[2] dead-letter stream, KEYS[3] held calls (callId -> dead count),
-- KEYS[4] attempt counts
-- ARGV: group, entry id, callId, eventId, type, seq, message, reason, attempts, last error,
--       dead-at ISO time, onlyIfHeld ('1': move only when the call is already held)
-- Returns 1 when moved, 0 when onlyIfHeld and the call is not held.
if ARGV[12] == '1' and redis.call('HEXISTS', KEYS[3], ARGV[3]) == 0 then
  return 0
end
redis.call('XADD', KEYS[2], '*', 'e', ARGV[4], 'c', ARGV[3], 't', ARGV[5], 's', ARGV[6], 'm', ARGV[7],
  'reason', ARGV[8], 'attempts', ARGV[9], 'error', ARGV[10], 'at', ARGV[11])
redis.call('HINCRBY', KEYS[3], ARGV[3], 1)
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
redis.call('HDEL', KEYS[4], ARGV[2])
return 1
