-- Puts a call an agent hands on (a blind transfer) back into the ACD, in one step: waiting
-- in a queue at the place given (its order score), or offered straight to a named agent,
-- who must be ready now (marked ringing as the pick script does, so no pick of any service
-- instance can give that agent another call meanwhile). The call's offer count goes on
-- from the offers it had before its answer, so an offer channel id (`offer-<call id>-<n>`)
-- is never given twice: the first agent's leg may still be hanging up.
-- KEYS[1] call hash, KEYS[2] the queue's waiting set for the call's skill,
--   KEYS[3] state counts, KEYS[4] the named agent's hash (absent: to the queue)
-- ARGV: call id, queue, skill, priority, enqueued-at (ms), order score, owning app, caller
--   number, offers so far, ready-set prefix, agent id ('' = to the queue), now (ms)
-- Returns {'queued'}; {'offered', agent's previous state JSON, new state JSON, version,
-- endpoint, offer channel}; {'refused', the agent's state kind or 'unknown'}; {'exists'}
-- when the call is in the ACD already.
if redis.call('EXISTS', KEYS[1]) == 1 then return { 'exists' } end
local fields = { 'queue', ARGV[2], 'skill', ARGV[3], 'priority', ARGV[4], 'enqueuedAt', ARGV[5], 'order', ARGV[6],
  'app', ARGV[7], 'caller', ARGV[8], 'kind', 'inbound', 'offers', ARGV[9] }
local agentId = ARGV[11]
if agentId == '' then
  redis.call('HSET', KEYS[1], 'state', 'waiting', unpack(fields))
  redis.call('ZADD', KEYS[2], ARGV[6], ARGV[1])
  return { 'queued' }
end
local a = redis.call('HMGET', KEYS[4], 'state', 'skills', 'kind', 'endpoint')
if not a[1] then return { 'refused', 'unknown' } end
local previous = cjson.decode(a[1])
if previous.kind ~= 'ready' then return { 'refused', previous.kind } end
for skill, level in pairs(cjson.decode(a[2])) do
  redis.call('ZREM', ARGV[10] .. a[3] .. ':' .. skill .. ':' .. level, agentId)
end
local now = tonumber(ARGV[12])
-- The same state as applyAgentCommand(ready, offer) gives: the idle time rides along.
local state = cjson.encode({ kind = 'ringing', since = now, idleSince = previous.idleSince, callId = ARGV[1], queue = ARGV[2] })
redis.call('HSET', KEYS[4], 'state', state)
local version = redis.call('HINCRBY', KEYS[4], 'version', 1)
redis.call('HINCRBY', KEYS[3], 'ready', -1)
redis.call('HINCRBY', KEYS[3], 'ringing', 1)
local channel = 'offer-' .. ARGV[1] .. '-' .. (tonumber(ARGV[9]) + 1)
redis.call('HSET', KEYS[1], 'state', 'offered', 'agent', agentId, 'offeredAt', now, 'offerChannel', channel, unpack(fields))
redis.call('HSET', KEYS[1], 'offers', tonumber(ARGV[9]) + 1)
return { 'offered', a[1], state, version, a[4] or '', channel }
