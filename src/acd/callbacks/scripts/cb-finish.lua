-- Records an attempt's outcome on a job this owner holds: due again later, or done. Refused
-- when the lease was lost (it ran out and the job went back, maybe to another instance).
-- KEYS[1] job hash, KEYS[2] leased set, KEYS[3] due set of the job's kind
-- ARGV: job id, owner, attempts the owner claimed at, now (ms), the attempt's outcome,
--       'retry' or 'done', due at (ms, retry) or the final outcome (done), TTL of a done job (ms)
-- Returns 1 when recorded, 0 when the job is not this owner's (any more), -1 when unknown.
local f = redis.call('HMGET', KEYS[1], 'state', 'owner', 'attempts', 'numberKey', 'history')
if not f[1] then return -1 end
if f[1] ~= 'leased' or f[2] ~= ARGV[2] or f[3] ~= ARGV[3] then return 0 end
local now = tonumber(ARGV[4])
local history = cjson.decode(f[5] or '[]')
history[#history + 1] = {at = now, outcome = ARGV[5]}
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[1], 'history', cjson.encode(history), 'owner', '')
if ARGV[6] == 'retry' then
  redis.call('HSET', KEYS[1], 'state', 'pending', 'dueAt', ARGV[7])
  redis.call('ZADD', KEYS[3], ARGV[7], ARGV[1])
else
  redis.call('HSET', KEYS[1], 'state', 'done', 'outcome', ARGV[7], 'finishedAt', now)
  if redis.call('GET', f[4]) == ARGV[1] then redis.call('DEL', f[4]) end
  redis.call('PEXPIRE', KEYS[1], ARGV[8])
end
return 1
