-- The logged-in agents whose next step may be a matter of time (in wrap-up, or ringing),
-- with their states: the sweep decides what is due, but reads only these, in one step,
-- instead of every agent's state every second.
-- KEYS[1] logged-in set
-- ARGV[1] agent hash prefix
-- Returns {id, state JSON, id, state JSON, …}.
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local raw = redis.call('HGET', ARGV[1] .. id, 'state')
  if raw then
    local ok, state = pcall(cjson.decode, raw)
    if ok and type(state) == 'table' and (state.kind == 'wrap-up' or state.kind == 'ringing') then
      out[#out + 1] = id
      out[#out + 1] = raw
    end
  end
end
return out
