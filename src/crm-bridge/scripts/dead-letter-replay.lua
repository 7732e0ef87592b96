-- Puts dead letters back at the tail of the sink's outbox, in their original order.
-- KEYS[1] dead-letter stream, KEYS[2] held calls, KEYS[3] outbox stream
-- ARGV[1]: a dead-letter id, or '*' for all of them
-- Replaying one replays its call's whole chain of dead letters: replayed alone, a later
-- message would either overtake the earlier ones or be held again behind them.
-- Returns the dead-letter ids replayed.
local function field(fields, name)
  for i = 1, #fields, 2 do
    if fields[i] == name then return fields[i + 1] end
  end
  return nil
end

local function replay(entry)
  local f = entry[2]
  local callId = field(f, 'c')
  redis.call('XADD', KEYS[3], '*', 'e', field(f, 'e'), 'c', callId, 't', field(f, 't'), 's', field(f, 's'), 'm', field(f, 'm'))
  redis.call('XDEL', KEYS[1], entry[1])
  if redis.call('HINCRBY', KEYS[2], callId, -1) <= 0 then
    redis.call('HDEL', KEYS[2], callId)
  end
  return entry[1]
end

local replayed = {}
local entries = redis.call('XRANGE', KEYS[1], '-', '+')
if ARGV[1] == '*' then
  for _, entry in ipairs(entries) do replayed[#replayed + 1] = replay(entry) end
  return replayed
end
local target = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
if #target == 0 then return replayed end
local callId = field(target[1][2], 'c')
for _, entry in ipairs(entries) do
  if field(entry[2], 'c') == callId then replayed[#replayed + 1] = replay(entry) end
end
return replayed
