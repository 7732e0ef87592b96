-- Hands due surveys to one instance under a lease, never more calls in flight than the cap
-- (the trunk's channels) across every instance. First takes back surveys whose lease ran
-- out (their instance died mid-call): due again at once; the claimer decides whether an
-- attempt or the window is left.
-- KEYS[1] leased set, KEYS[2] due set
-- ARGV: now (ms), most to claim, owner, lease (ms), cap of calls in flight, job hash prefix
-- Returns the claimed job hashes as flat field/value lists.
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local owner = ARGV[3]
local leaseMs = tonumber(ARGV[4])
local cap = tonumber(ARGV[5])
local prefix = ARGV[6]

for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do
  local job = prefix .. id
  redis.call('ZREM', KEYS[1], id)
  local history = cjson.decode(redis.call('HGET', job, 'history') or '[]')
  history[#history + 1] = {at = now, outcome = 'lease-expired', cause = cjson.null}
  redis.call('HSET', job, 'history', cjson.encode(history), 'state', 'pending', 'owner', '', 'dueAt', now)
  redis.call('ZADD', KEYS[2], now, id)
end

local room = math.min(limit, cap - redis.call('ZCARD', KEYS[1]))
local claimed = {}
if room <= 0 then return claimed end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, room)) do
  local job = prefix .. id
  redis.call('ZREM', KEYS[2], id)
  redis.call('HINCRBY', job, 'attempts', 1)
  redis.call('HSET', job, 'state', 'calling', 'owner', owner)
  redis.call('ZADD', KEYS[1], now + leaseMs, id)
  claimed[#claimed + 1] = redis.call('HGETALL', job)
end
return claimed
