-- Routing, one atomic step: the next waiting call of a queue that an agent can take, and
-- the agent for it. Marks the agent ringing (out of every ready set) and the call offered
-- (out of the waiting set) before anyone else can look, so two service instances never
-- give one agent two calls or one call two agents; one round trip per pick.
--
-- Calls: lowest order score first (highest priority, then longest wait). A call no agent
-- can take yet is passed over for the next one (its wait may widen it on a later pick).
-- Waiting calls are kept per skill asked for, and the score holds priority and enqueue
-- time, so no call needs reading: within one skill and one priority the first in line has
-- waited longest and so is accepted by the most agents; if no agent takes it, nobody
-- behind it in that priority can be taken either, and the walk jumps to the next priority.
-- A pick costs a few look-ups per skill and priority, however many calls wait.
-- Agents: ready, of the queue's agent kind, with a skill the call accepts now at or above
-- the level accepted now; longest idle first, the higher level on equal idle time.
-- What a call accepts: the rules whose `after` (ms waited) has passed; each names a skill
-- (or none: the call's own) and a minimum level. The lowest level per skill counts.
--
-- KEYS[1] state counts
-- ARGV: agent-hash prefix, ready-set prefix, call-hash prefix, waiting-set prefix, now (ms),
--       queue, agent kind, rules JSON [{after, skill, minLevel}], skills JSON (those calls may ask for)
-- Returns {call id, agent id, agent's previous state JSON, agent's new state JSON, agent
-- version, call skill, call priority, enqueued-at, agent level, agent endpoint, the call's
-- app, caller, kind, offer channel id} or false when no pair fits. The offer channel id
-- (`offer-<call id>-<n>`, n counting the call's offers) is kept on the call, so whoever
-- takes the call out later can hang up a phone still ringing for it.
local agentPrefix, readyPrefix, callPrefix, waitingPrefix = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local now, queue, kind = tonumber(ARGV[5]), ARGV[6], ARGV[7]
local rules = cjson.decode(ARGV[8])
local skills = cjson.decode(ARGV[9])
-- The order score: (10 - priority) * BAND + enqueued-at (ms).
local BAND = 1e13

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

local function offer(call, agentId, level)
  local agentKey = agentPrefix .. agentId
  local a = redis.call('HMGET', agentKey, 'state', 'skills', 'kind', 'endpoint')
  local previous = cjson.decode(a[1])
  for skill, l in pairs(cjson.decode(a[2])) do
    redis.call('ZREM', readyPrefix .. a[3] .. ':' .. skill .. ':' .. l, agentId)
  end
  -- The same state as applyAgentCommand(ready, offer) gives: the idle time rides along.
  local state = cjson.encode({ kind = 'ringing', since = now, idleSince = previous.idleSince, callId = call.id, queue = queue })
  redis.call('HSET', agentKey, 'state', state)
  local version = redis.call('HINCRBY', agentKey, 'version', 1)
  redis.call('HINCRBY', KEYS[1], 'ready', -1)
  redis.call('HINCRBY', KEYS[1], 'ringing', 1)
  redis.call('ZREM', call.key, call.id)
  local callKey = callPrefix .. call.id
  local channel = 'offer-' .. call.id .. '-' .. redis.call('HINCRBY', callKey, 'offers', 1)
  redis.call('HSET', callKey, 'state', 'offered', 'agent', agentId, 'offeredAt', now, 'offerChannel', channel)
  local c = redis.call('HMGET', callKey, 'app', 'caller', 'kind')
  return { call.id, agentId, a[1], state, version, call.skill, tostring(10 - call.band), tostring(call.enqueuedAt), level,
    a[4] or '', c[1] or '', c[2] or '', c[3] or 'inbound', channel }
end

-- Per skill, the first call in line an agent can take now: the head of each priority in turn.
local best
for _, skill in ipairs(skills) do
  local key = waitingPrefix .. queue .. ':' .. skill
  local from = '-inf'
  while true do
    local head = redis.call('ZRANGEBYSCORE', key, from, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
    if not head[1] then break end
    local score = tonumber(head[2])
    if best and score >= best.score then break end
    local band = math.floor(score / BAND)
    local enqueuedAt = score - band * BAND
    local agentId, level = agentFor(skill, now - enqueuedAt)
    if agentId then
      best = { id = head[1], key = key, score = score, skill = skill, band = band, enqueuedAt = enqueuedAt, agentId = agentId, level = level }
      break
    end
    from = string.format('%.0f', (band + 1) * BAND)
  end
end
if not best then return false end
return offer(best, best.agentId, best.level)
