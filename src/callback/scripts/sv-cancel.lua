-- Cancels a survey waiting for its call or for an SMS reply (a supervisor's decision); one
-- being called is left to its call.
-- KEYS[1] job hash, KEYS[2] due set, KEYS[3] the ticket's open survey
-- ARGV: survey id, now (ms), TTL of a done job (ms)
-- Returns 'cancelled', 'calling', 'done' or 'unknown'.
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return 'unknown' end
if state == 'calling' or state == 'done' then return state end
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[1], 'state', 'done', 'outcome', 'cancelled', 'finishedAt', ARGV[2])
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 'cancelled'
