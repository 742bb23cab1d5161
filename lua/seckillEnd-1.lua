--[[
  Ends an activity now (the admin's "end"): the Redis window closes at `now`, so the
  reservation script answers "ended" from the next call on. A scheduled activity's window
  becomes empty (start and end both now). Never moves a window's end later, so a second
  call changes nothing. Only an activity Redis holds is touched: no partial meta is made.

  Input:
    KEYS[1] meta      hash: start_ms end_ms ...

    ARGV[1] now, ms

  Output:
     1  ended now
     2  already ended (end_ms <= now); nothing changed
     0  not loaded in Redis; nothing changed
]]
local rcall = redis.call

local window = rcall('HMGET', KEYS[1], 'start_ms', 'end_ms')
if not window[1] or not window[2] then return 0 end

local now = tonumber(ARGV[1])
if tonumber(window[2]) <= now then return 2 end
if tonumber(window[1]) > now then rcall('HSET', KEYS[1], 'start_ms', ARGV[1]) end
rcall('HSET', KEYS[1], 'end_ms', ARGV[1])
return 1
