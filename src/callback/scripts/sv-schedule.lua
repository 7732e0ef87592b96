-- Schedules a ticket's survey unless this very survey was written before (the same
-- ticket.closed delivered twice) or the ticket has one open (waiting, calling, awaiting an
-- SMS reply): the check and the writes in one step, so two instances handling one event
-- write one job.
-- KEYS[1] job hash, KEYS[2] due set, KEYS[3] the ticket's open survey, KEYS[4] the ticket's surveys
-- ARGV: survey id, due at (ms), created at (ms), job hash prefix, then the job's field/value pairs
-- Returns {'scheduled', id}, {'exists', id} or {'pending', id of the open survey}.
local id = ARGV[1]
if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists', id} end
local open = redis.call('GET', KEYS[3])
if open and redis.call('EXISTS', ARGV[4] .. open) == 1 then return {'pending', open} end
local fields = {}
for i = 5, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('ZADD', KEYS[2], ARGV[2], id)
redis.call('SET', KEYS[3], id)
redis.call('ZADD', KEYS[4], ARGV[3], id)
return {'scheduled', id}
