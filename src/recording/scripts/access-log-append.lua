-- Appends one entry to the hash-chained access log, only if the chain's head is still the
-- one the entry was computed on (compare-and-append: several instances write one chain).
-- KEYS[1] the log (list), KEYS[2] its head (`<count> <hash>`)
-- ARGV[1] the head the entry was chained to ('' for an empty log), ARGV[2] the entry (JSON),
-- ARGV[3] the new head
-- Returns false when appended, else the current head to chain to and try again.
local head = redis.call('GET', KEYS[2]) or ''
if head ~= ARGV[1] then
  return head
end
redis.call('RPUSH', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[3])
return false
