--[[
  Clears the pending records of reservations whose order rows are committed and records
  the buyers' results (without overwriting a newer reservation of the same buyer).

  Input:
    KEYS[1] pending
    KEYS[2] due
    KEYS[3] claims    hash: order_no -> live claims
    KEYS[4] result    hash: user id -> latest outcome

    ARGV    pairs: order_no, user id, order_no, user id, ...

  Output:
    the number of pending records cleared
]]
local rcall = redis.call
local cleared = 0
for i = 1, #ARGV, 2 do
  local orderNo, user = ARGV[i], ARGV[i + 1]
  cleared = cleared + rcall('HDEL', KEYS[1], orderNo)
  rcall('ZREM', KEYS[2], orderNo)
  rcall('HDEL', KEYS[3], orderNo)
  local current = rcall('HGET', KEYS[4], user)
  if not current or current == 'queued:' .. orderNo then
    rcall('HSET', KEYS[4], user, 'success:' .. orderNo)
  end
end
return cleared
