-- Sinks took these messages: forget them (acknowledge, delete from the outbox, drop their attempt counts).
-- KEYS[1] sink outbox stream, KEYS[2] attempt counts; ARGV: group, then one or more entry ids
-- (the deliverer acknowledges what several lanes settled in one step; at most a few hundred ids,
-- well within Lua's unpack limit).
local ids = {}
for i = 2, #ARGV do ids[#ids + 1] = ARGV[i] end
redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
redis.call('XDEL', KEYS[1], unpack(ids))
redis.call('HDEL', KEYS[2], unpack(ids))
return #ids
