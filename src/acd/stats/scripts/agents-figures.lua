-- What the live picture needs of each logged-in agent, in one step: a command per agent
-- (a few hundred each read, several reads a second under load) cost the service more than
-- the figures themselves. As the routing scripts do, the agents' hashes are found here from
-- the logged-in set and the hash prefix (which agents are in the set is only known here).
-- KEYS[1]: the logged-in set.
-- ARGV[1]: the agent-hash prefix (the hash is prefix .. id).
-- Returns per logged-in agent: id, kind, skills JSON, state JSON, name (nil where a field or
-- the hash is gone).
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local fields = redis.call('HMGET', ARGV[1] .. id, 'kind', 'skills', 'state', 'name')
  out[#out + 1] = id
  for i = 1, 4 do out[#out + 1] = fields[i] end
end
return out
