-- Advances the writer's marker to this batch's token, first in the batch's pipeline.
-- KEYS[1] the writer's marker
-- ARGV: new token, marker TTL seconds, then the tokens the marker may hold: the one the
--       writer last stored and those of later batches whose replies were lost (any of them
--       may have been stored). None on the writer's first write: no expectation then.
-- Returns 1: advanced; -1: the marker is not what this writer left (gone with a Redis
-- restarted empty, or older: a replica promoted in a failover had not received the last
-- batches, since replication is asynchronous but in order). Nothing is changed then, so
-- every append of the batch refuses too, and the writer stores its unread events again.
local current = redis.call('GET', KEYS[1])
local ok = #ARGV < 3
for i = 3, #ARGV do
  if current == ARGV[i] then
    ok = true
  end
end
if not ok then
  return -1
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
