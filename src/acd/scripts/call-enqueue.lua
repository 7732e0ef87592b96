-- Puts a call in its queue's waiting set, once.
-- KEYS[1] call hash, KEYS[2] the queue's waiting set for the call's skill
-- ARGV: call id, queue, skill, priority, enqueued-at (ms), order score, owning app, caller number, kind
-- Returns 1 when queued, 0 when the call is queued or offered already.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'queue', ARGV[2], 'skill', ARGV[3], 'priority', ARGV[4], 'enqueuedAt', ARGV[5], 'order', ARGV[6], 'state', 'waiting',
  'app', ARGV[7], 'caller', ARGV[8], 'kind', ARGV[9])
redis.call('ZADD', KEYS[2], ARGV[6], ARGV[1])
return 1
