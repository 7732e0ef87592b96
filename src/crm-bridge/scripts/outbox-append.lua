-- Stores one outbound message durably, once, in the outbox stream of every sink that takes it.
-- KEYS[1] the writer's marker, KEYS[2] enqueued marker of the event id, KEYS[3] the call's
-- sequence key (see ARGV[6]), KEYS[4..] sink streams
-- ARGV: eventId, callId, type, message JSON (without sequence), marker TTL seconds,
--       the call's own sequence number (0 for another feature's event), the clock seed
--       (milliseconds × 1000) for another feature's counter, the batch's marker token
-- Returns {status, sequence, entry id per sink stream}:
--   status 1: stored now; 0: this event id was stored before (a retried write whose first
--   try had in fact succeeded), with the sequence and entry ids of then;
--   -1 (alone): the writer's marker is not this batch's token (outbox-marker.lua refused: Redis
--   lost what this writer stored): nothing is stored, the writer stores its unread events again first.
if redis.call('GET', KEYS[1]) ~= ARGV[8] then
  return {-1}
end
local before = redis.call('GET', KEYS[2])
if before then
  local reply = {0}
  for part in string.gmatch(before, '%S+') do reply[#reply + 1] = part end
  return reply
end

local seq
local own = tonumber(ARGV[6])
if own > 0 then
  -- The call numbers its events; never below what this store already gave the call.
  local last = tonumber(redis.call('GET', KEYS[3]) or '0')
  seq = string.format('%d', math.max(own, last + 1))
  redis.call('SET', KEYS[3], seq, 'EX', ARGV[5])
else
  -- Another feature's event: a counter that starts at the clock, so it never repeats even
  -- when Redis comes back empty. Kept as text: Lua's tostring would print 1.7e+15.
  if redis.call('EXISTS', KEYS[3]) == 0 then
    redis.call('SET', KEYS[3], ARGV[7])
  end
  seq = string.format('%d', redis.call('INCR', KEYS[3]))
  redis.call('EXPIRE', KEYS[3], ARGV[5])
end

local reply = {1, seq}
for i = 4, #KEYS do
  reply[#reply + 1] = redis.call('XADD', KEYS[i], '*', 'e', ARGV[1], 'c', ARGV[2], 't', ARGV[3], 's', seq, 'm', ARGV[4])
end
local remembered = {}
for i = 2, #reply do remembered[#remembered + 1] = reply[i] end
redis.call('SET', KEYS[2], table.concat(remembered, ' '), 'EX', ARGV[5])
return reply
