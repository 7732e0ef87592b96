-- Stores one text once, by its idempotency key, and makes it due now; or records why it is
-- not sent (the number opted out, or reached its daily cap). A key seen before changes nothing.
-- KEYS: message, due, ticket index, daily count, opt-out set
-- ARGV: key, now ms, digest, daily cap, daily count ttl s, then field/value pairs
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'duplicate', redis.call('HGET', KEYS[1], 'state') or '', redis.call('HGET', KEYS[1], 'code') or ''}
end
local state, code = 'queued', ''
if redis.call('SISMEMBER', KEYS[5], ARGV[3]) == 1 then
  state, code = 'suppressed', 'opted-out'
else
  local n = redis.call('INCR', KEYS[4])
  if n == 1 then redis.call('EXPIRE', KEYS[4], tonumber(ARGV[5])) end
  if n > tonumber(ARGV[4]) then state, code = 'suppressed', 'daily-cap' end
end
local fields = {}
for i = 6, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', KEYS[1], 'key', ARGV[1], 'state', state, 'code', code, 'attempts', 0, 'createdAt', ARGV[2], 'updatedAt', ARGV[2], unpack(fields))
redis.call('SADD', KEYS[3], ARGV[1])
if state == 'queued' then redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1]) end
return {state, state, code}
