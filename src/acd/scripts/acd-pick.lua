-- Routing, one atomic step: the next waiting call of a queue that an agent can take, and
-- the agent for it. Marks the agent ringing (out of every ready set) and the call offered
-- (out of the waiting set) before anyone else can look, so two service instances never
-- give one agent two calls or one call two agents; one round trip per pick.
--
-- Calls: lowest order score first (highest priority, then longest wait). A call no agent
-- can take yet is passed over for the next one (its wait may widen it on a later pick).
-- Agents: ready, of the queue's agent kind, with a skill the call accepts now at or above
-- the level accepted now; longest idle first, the higher level on equal idle time.
-- What a call accepts: the rules whose `after` (ms waited) has passed; each names a skill
-- (or none: the call's own) and a minimum level. The lowest level per skill counts.
--
-- KEYS[1] the queue's waiting set, KEYS[2] state counts
-- ARGV: agent-hash prefix, ready-set prefix, call-hash prefix, now (ms), queue, agent kind,
--       rules JSON [{after, skill, minLevel}], most calls to look at
-- Returns {call id, agent id, agent's previous state JSON, agent's new state JSON, agent
-- version, call skill, call priority, enqueued-at, agent level} or false when no pair fits.
local agentPrefix, readyPrefix, callPrefix = ARGV[1], ARGV[2], ARGV[3]
local now, queue, kind = tonumber(ARGV[4]), ARGV[5], ARGV[6]
local rules = cjson.decode(ARGV[7])
local limit = tonumber(ARGV[8])

-- The agent idle longest among those with `skill` at `minLevel` or above: the head of each
-- level's set, higher levels first so an equal idle time keeps the higher level.
local none = {}
local function longestIdle(skill, minLevel)
  local memo = skill .. '|' .. minLevel
  if none[memo] then return nil end
  local bestId, bestIdle, bestLevel
  for level = 9, minLevel, -1 do
    local head = redis.call('ZRANGE', readyPrefix .. kind .. ':' .. skill .. ':' .. level, 0, 0, 'WITHSCORES')
    if head[1] and (bestIdle == nil or tonumber(head[2]) < bestIdle) then
      bestId, bestIdle, bestLevel = head[1], tonumber(head[2]), level
    end
  end
  if not bestId then none[memo] = true end
  return bestId, bestIdle, bestLevel
end

local function agentFor(callSkill, waited)
  local lowest = {}
  for _, rule in ipairs(rules) do
    if rule.after <= waited then
      local skill = rule.skill
      if skill == cjson.null or skill == nil then skill = callSkill end
      if lowest[skill] == nil or rule.minLevel < lowest[skill] then lowest[skill] = rule.minLevel end
    end
  end
  local bestId, bestIdle, bestLevel
  for skill, minLevel in pairs(lowest) do
    local id, idle, level = longestIdle(skill, minLevel)
    if id and (bestIdle == nil or idle < bestIdle or (idle == bestIdle and level > bestLevel)) then
      bestId, bestIdle, bestLevel = id, idle, level
    end
  end
  return bestId, bestLevel
end

local function offer(callId, call, agentId, level)
  local agentKey = agentPrefix .. agentId
  local a = redis.call('HMGET', agentKey, 'state', 'skills', 'kind')
  local previous = cjson.decode(a[1])
  for skill, l in pairs(cjson.decode(a[2])) do
    redis.call('ZREM', readyPrefix .. a[3] .. ':' .. skill .. ':' .. l, agentId)
  end
  -- The same state as applyAgentCommand(ready, offer) gives: the idle time rides along.
  local state = cjson.encode({ kind = 'ringing', since = now, idleSince = previous.idleSince, callId = callId, queue = queue })
  redis.call('HSET', agentKey, 'state', state)
  local version = redis.call('HINCRBY', agentKey, 'version', 1)
  redis.call('HINCRBY', KEYS[2], 'ready', -1)
  redis.call('HINCRBY', KEYS[2], 'ringing', 1)
  redis.call('ZREM', KEYS[1], callId)
  redis.call('HSET', callPrefix .. callId, 'state', 'offered', 'agent', agentId, 'offeredAt', now)
  return { callId, agentId, a[1], state, version, call[1], call[2], call[3], level }
end

local chunk = 100
local seen = 0
while seen < limit do
  local ids = redis.call('ZRANGE', KEYS[1], seen, seen + math.min(chunk, limit - seen) - 1)
  if #ids == 0 then return false end
  for _, callId in ipairs(ids) do
    local call = redis.call('HMGET', callPrefix .. callId, 'skill', 'priority', 'enqueuedAt')
    if call[1] then
      local agentId, level = agentFor(call[1], now - tonumber(call[3]))
      if agentId then return offer(callId, call, agentId, level) end
    end
  end
  seen = seen + #ids
end
return false
