-- Stores an agent's new state if nobody changed it since it was read (compare-and-set on
-- the version): the new state was decided in code from the state read, so several service
-- instances changing one agent never overwrite each other. Keeps the ready sets, the
-- logged-in set and the state counts in step.
-- KEYS[1] agent hash, KEYS[2] logged-in set, KEYS[3] state counts
-- ARGV: ready prefix, agent id, expected version, new state JSON, new state kind,
--       idle-since (ms, used when ready), misses in a row
-- Returns {1, version} when stored, {0, version} when the agent changed meanwhile, {-1} when unknown.
local f = redis.call('HMGET', KEYS[1], 'version', 'state', 'kind', 'skills')
if not f[2] then return {-1} end
if f[1] ~= ARGV[3] then return {0, tonumber(f[1])} end
local old = cjson.decode(f[2]).kind
local new = ARGV[5]
for skill, level in pairs(cjson.decode(f[4])) do
  local ready = ARGV[1] .. f[3] .. ':' .. skill .. ':' .. level
  if new == 'ready' then
    redis.call('ZADD', ready, ARGV[6], ARGV[2])
  elseif old == 'ready' then
    redis.call('ZREM', ready, ARGV[2])
  end
end
if old ~= new then
  redis.call('HINCRBY', KEYS[3], old, -1)
  redis.call('HINCRBY', KEYS[3], new, 1)
end
if new == 'offline' then redis.call('SREM', KEYS[2], ARGV[2]) end
redis.call('HSET', KEYS[1], 'state', ARGV[4], 'misses', ARGV[7])
return {1, redis.call('HINCRBY', KEYS[1], 'version', 1)}
