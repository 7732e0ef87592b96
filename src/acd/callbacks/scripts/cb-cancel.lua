-- Cancels the job pending for a number (the citizen got through on their own); a job in
-- flight is left to its dialer.
-- KEYS[1] the number's job, KEYS[2] due set of virtual-hold jobs, KEYS[3] due set of missed-call jobs
-- ARGV: job hash prefix, now (ms), TTL of a done job (ms)
-- Returns {'cancelled', id}, {'in-flight', id} or {'none'}.
local id = redis.call('GET', KEYS[1])
if not id then return {'none'} end
local job = ARGV[1] .. id
if redis.call('HGET', job, 'state') == 'leased' then return {'in-flight', id} end
redis.call('ZREM', KEYS[2], id)
redis.call('ZREM', KEYS[3], id)
redis.call('HSET', job, 'state', 'done', 'outcome', 'cancelled', 'finishedAt', ARGV[2])
redis.call('PEXPIRE', job, ARGV[3])
redis.call('DEL', KEYS[1])
return {'cancelled', id}
