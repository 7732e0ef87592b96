-- Records an agent's disposition of the call it wraps up, the last one set winning, only
-- while the agent is in wrap-up: the state is read here, in the same step, so a disposition
-- set after the wrap-up ended is refused rather than left behind unsent.
-- KEYS[1] agent hash
-- ARGV: pending prefix, agent id, code, note ('' for none), at (ms), TTL (s)
-- Returns {'ok', callId, queue} | {'no-agent'} | {'wrong-state', kind}
local raw = redis.call('HGET', KEYS[1], 'state')
if not raw then return {'no-agent'} end
local state = cjson.decode(raw)
if state.kind ~= 'wrap-up' then return {'wrong-state', state.kind} end
local key = ARGV[1] .. state.callId .. ':' .. ARGV[2]
redis.call('DEL', key)
redis.call('HSET', key, 'code', ARGV[3], 'note', ARGV[4], 'at', ARGV[5])
redis.call('EXPIRE', key, tonumber(ARGV[6]))
return {'ok', state.callId, state.queue}
