-- Takes a wrap-up's disposition for its one call.disposition: marks the wrap-up as sent and
-- hands back what was set (nothing when none was). A second take of the same wrap-up gets
-- 'sent' and publishes nothing.
-- KEYS[1] pending hash, KEYS[2] sent marker
-- ARGV: TTL of the marker (s)
-- Returns {'sent'} | {'take', code, note, at} (empty strings when no disposition was set)
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', tonumber(ARGV[1])) == false then return {'sent'} end
local f = redis.call('HMGET', KEYS[1], 'code', 'note', 'at')
redis.call('DEL', KEYS[1])
return {'take', f[1] or '', f[2] or '', f[3] or ''}
