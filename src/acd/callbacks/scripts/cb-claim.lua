-- Hands due jobs to one instance under a lease, never more in flight than the cap across
-- every instance. First takes back jobs whose lease ran out (their instance died between
-- claim and finish): due again at once, or given up when no attempt is left.
-- Virtual-hold jobs go first (their callers asked a minute ago), then satisfaction callbacks and
-- missed calls, only when allowed (inside the calling hours).
-- KEYS[1] leased set, KEYS[2] due set of virtual-hold jobs, KEYS[3] due set of missed-call jobs,
-- KEYS[4] due set of satisfaction callbacks
-- ARGV: now (ms), most to claim, owner, lease (ms), cap of jobs in flight, attempts per job,
--       1 when missed calls may be placed now (inside calling hours), job hash prefix, TTL of a done job (ms)
-- Returns {{id, kind, … of the jobs given up}, {claimed job hashes as flat field/value lists}}.
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local owner = ARGV[3]
local leaseMs = tonumber(ARGV[4])
local cap = tonumber(ARGV[5])
local maxAttempts = tonumber(ARGV[6])
local missedAllowed = ARGV[7] == '1'
local prefix = ARGV[8]
local doneTtl = tonumber(ARGV[9])

local function remember(job, at, outcome)
  local history = cjson.decode(redis.call('HGET', job, 'history') or '[]')
  history[#history + 1] = {at = at, outcome = outcome}
  redis.call('HSET', job, 'history', cjson.encode(history))
end

local givenUp = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)) do
  local job = prefix .. id
  redis.call('ZREM', KEYS[1], id)
  remember(job, now, 'lease-expired')
  local f = redis.call('HMGET', job, 'attempts', 'kind', 'numberKey')
  if tonumber(f[1] or '0') >= maxAttempts then
    redis.call('HSET', job, 'state', 'done', 'outcome', 'given-up', 'owner', '', 'finishedAt', now)
    if redis.call('GET', f[3]) == id then redis.call('DEL', f[3]) end
    redis.call('PEXPIRE', job, doneTtl)
    givenUp[#givenUp + 1] = id
    givenUp[#givenUp + 1] = f[2]
  else
    redis.call('HSET', job, 'state', 'pending', 'owner', '', 'dueAt', now)
    local due = KEYS[3]
    if f[2] == 'virtual-hold' then due = KEYS[2] elseif f[2] == 'satisfaction' then due = KEYS[4] end
    redis.call('ZADD', due, now, id)
  end
end

local room = math.min(limit, cap - redis.call('ZCARD', KEYS[1]))
local claimed = {}
local function take(due)
  if room <= 0 then return end
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', due, '-inf', now, 'LIMIT', 0, room)) do
    local job = prefix .. id
    redis.call('ZREM', due, id)
    redis.call('HINCRBY', job, 'attempts', 1)
    redis.call('HSET', job, 'state', 'leased', 'owner', owner, 'leaseUntil', now + leaseMs)
    redis.call('ZADD', KEYS[1], now + leaseMs, id)
    claimed[#claimed + 1] = redis.call('HGETALL', job)
    room = room - 1
  end
end
take(KEYS[2])
if missedAllowed then
  take(KEYS[4])
  take(KEYS[3])
end
return {givenUp, claimed}
