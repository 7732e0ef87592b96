-- Schedules a callback job unless the number has one pending or in flight, or (missed calls)
-- had one scheduled for the same calling day: the checks and the writes in one step, so two
-- instances recording two missed calls of one number at once schedule one job. A virtual-hold
-- request takes the place of a missed-call job still waiting (it is due now, not next window).
-- KEYS[1] job hash, KEYS[2] due set of the job's kind, KEYS[3] the number's job,
-- KEYS[4] the number's day marker, KEYS[5] due set of missed-call jobs
-- ARGV: job id, due at (ms), day marker TTL (ms; 0 = no once-a-day rule), 1 to take the place
--       of a waiting missed-call job, job hash prefix, now (ms), TTL of a done job (ms),
--       then the job's field/value pairs
-- Returns {'scheduled', id, replaced id or ''}, {'pending', id of the job already there},
-- {'called-today', id of that day's job} or {'exists', id} when this very job was written before.
local id = ARGV[1]
if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists', id} end
local replaced = ''
local existing = redis.call('GET', KEYS[3])
if existing then
  local old = ARGV[5] .. existing
  local f = redis.call('HMGET', old, 'kind', 'state')
  if ARGV[4] ~= '1' or f[1] ~= 'missed' or f[2] ~= 'pending' then return {'pending', existing} end
  redis.call('ZREM', KEYS[5], existing)
  redis.call('HSET', old, 'state', 'done', 'outcome', 'cancelled', 'supersededBy', id, 'finishedAt', ARGV[6])
  redis.call('PEXPIRE', old, ARGV[7])
  replaced = existing
end
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  local today = redis.call('GET', KEYS[4])
  if today then return {'called-today', today} end
end
local fields = {}
for i = 8, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('HSET', KEYS[1], 'numberKey', KEYS[3])
redis.call('ZADD', KEYS[2], ARGV[2], id)
redis.call('SET', KEYS[3], id)
if ttl > 0 then redis.call('SET', KEYS[4], id, 'PX', ttl) end
return {'scheduled', id, replaced}
