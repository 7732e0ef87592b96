-- Writes back an agent that Redis lost (it came back empty) while the agent talks on a call
-- the service still holds: on-call with that call, counted and logged in, but without its
-- profile (name, endpoint, skills), which only the agent's next login gives. Marked
-- `restored` so that login keeps the call, and so that the call's end logs it out.
-- Nothing when Redis holds the agent (it came back with its data, or the agent logged in).
-- KEYS[1] agent hash, KEYS[2] logged-in set, KEYS[3] state counts
-- ARGV: agent id, state JSON (on-call)
-- Returns the agent's version when written, 0 when Redis holds the agent.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'name', '', 'endpoint', '', 'kind', 'regular', 'skills', '{}', 'state', ARGV[2], 'misses', 0, 'restored', 1)
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('HINCRBY', KEYS[3], 'on-call', 1)
return redis.call('HINCRBY', KEYS[1], 'version', 1)
