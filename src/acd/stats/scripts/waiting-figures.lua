-- How many calls wait in each waiting set, and when the longest-waiting one was enqueued.
-- KEYS: waiting sets (score = (10 - priority) * 1e13 + enqueued-at ms, see routing-rules.ts)
-- Returns per key: count, enqueued-at (ms) of its longest-waiting call or -1.
-- The lowest score is the first in line, not the longest waiting (priority comes first),
-- so the first of each priority band is read and the earliest taken.
local BAND = 1e13
local out = {}
for _, key in ipairs(KEYS) do
  local count = redis.call('ZCARD', key)
  local oldest = -1
  if count > 0 then
    for band = 0, 10 do
      local from = string.format('%.0f', band * BAND)
      local to = '(' .. string.format('%.0f', (band + 1) * BAND)
      local first = redis.call('ZRANGEBYSCORE', key, from, to, 'WITHSCORES', 'LIMIT', 0, 1)
      if first[2] then
        local at = tonumber(first[2]) - band * BAND
        if oldest < 0 or at < oldest then oldest = at end
      end
    end
  end
  table.insert(out, count)
  table.insert(out, oldest)
end
return out
