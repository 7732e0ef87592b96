-- Records what came of a survey's call, or of an SMS reply: due again, awaiting an SMS reply,
-- or done (with its rating). A call's result is refused when the lease was lost (the survey
-- went back, maybe to another instance); an SMS reply only lands on a survey awaiting one.
-- KEYS[1] job hash, KEYS[2] leased set, KEYS[3] due set, KEYS[4] the ticket's open survey,
-- KEYS[5] the ticket's dissatisfied surveys
-- ARGV: survey id, the state it must be in ('calling' or 'sms'), owner ('' for sms),
--       attempts it was claimed at ('' for sms), the attempt as JSON ('' for none), now (ms),
--       'retry' | 'sms' | 'done', due at (retry), outcome, rating ('' for none), channel,
--       survey call id, 1 when the rating is dissatisfied, TTL of a done job (ms)
-- Returns {1, dissatisfied surveys of the ticket}, {0} when refused, {-1} when unknown.
local f = redis.call('HMGET', KEYS[1], 'state', 'owner', 'attempts', 'history')
if not f[1] then return {-1} end
if f[1] ~= ARGV[2] then return {0} end
if ARGV[2] == 'calling' and (f[2] ~= ARGV[3] or f[3] ~= ARGV[4]) then return {0} end
local id = ARGV[1]
local now = ARGV[6]
if ARGV[5] ~= '' then
  local history = cjson.decode(f[4] or '[]')
  history[#history + 1] = cjson.decode(ARGV[5])
  redis.call('HSET', KEYS[1], 'history', cjson.encode(history))
end
redis.call('ZREM', KEYS[2], id)
redis.call('HSET', KEYS[1], 'owner', '')
local next = ARGV[7]
if next == 'retry' then
  redis.call('HSET', KEYS[1], 'state', 'pending', 'dueAt', ARGV[8])
  redis.call('ZADD', KEYS[3], ARGV[8], id)
elseif next == 'sms' then
  redis.call('HSET', KEYS[1], 'state', 'sms', 'smsSent', '1', 'outcome', ARGV[9])
else
  redis.call('HSET', KEYS[1], 'state', 'done', 'outcome', ARGV[9], 'rating', ARGV[10], 'channel', ARGV[11], 'surveyCallId', ARGV[12], 'finishedAt', now)
  if ARGV[13] == '1' then redis.call('SADD', KEYS[5], id) end
  if redis.call('GET', KEYS[4]) == id then redis.call('DEL', KEYS[4]) end
  redis.call('PEXPIRE', KEYS[1], ARGV[14])
end
return {1, redis.call('SCARD', KEYS[5])}
