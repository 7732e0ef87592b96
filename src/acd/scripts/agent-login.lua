-- Logs an agent in: stores its profile and first state, puts it in the ready sets of its
-- skills when it starts ready, and counts it. Refused while the agent is logged in.
-- KEYS[1] agent hash, KEYS[2] logged-in set, KEYS[3] state counts
-- ARGV: ready prefix, agent id, name, endpoint, kind, skills JSON ({skill: level}),
--       state JSON, state kind, idle-since (ms)
-- Returns {1, previous state JSON or '', version} when logged in, {0, current state JSON} when refused,
-- {2, current state JSON, version} when the agent was written back on a call after Redis came
-- back empty (agent-restore.lua): the profile is stored and the call kept, the agent not offered.
local current = redis.call('HGET', KEYS[1], 'state')
if current and cjson.decode(current).kind ~= 'offline' then
  if redis.call('HGET', KEYS[1], 'restored') ~= '1' then return {0, current} end
  redis.call('HSET', KEYS[1], 'name', ARGV[3], 'endpoint', ARGV[4], 'kind', ARGV[5], 'skills', ARGV[6])
  redis.call('HDEL', KEYS[1], 'restored')
  return {2, current, redis.call('HINCRBY', KEYS[1], 'version', 1)}
end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'name', ARGV[3], 'endpoint', ARGV[4], 'kind', ARGV[5], 'skills', ARGV[6], 'state', ARGV[7], 'misses', 0)
redis.call('HDEL', KEYS[1], 'restored')
redis.call('SADD', KEYS[2], ARGV[2])
if current then redis.call('HINCRBY', KEYS[3], 'offline', -1) end
redis.call('HINCRBY', KEYS[3], ARGV[8], 1)
if ARGV[8] == 'ready' then
  for skill, level in pairs(cjson.decode(ARGV[6])) do
    redis.call('ZADD', ARGV[1] .. ARGV[5] .. ':' .. skill .. ':' .. level, ARGV[9], ARGV[2])
  end
end
return {1, current or '', version}
