--[[
  Drops a batch's claims on reservations it will not insert after all (its transaction
  failed), so that an undo is not held back by a claim nobody acts on. Other batches'
  claims stay.

  Input:
    KEYS[1] claims    hash: order_no -> live claims, "token=expiry_ms ..."

    ARGV[1] the batch's claim token
    ARGV[2..n] order numbers

  Output:
    the number of claims dropped
]]
local rcall = redis.call
local token = ARGV[1]
local dropped = 0
for i = 2, #ARGV do
  local orderNo = ARGV[i]
  local value = rcall('HGET', KEYS[1], orderNo)
  if value then
    local kept = {}
    for who, until_ms in string.gmatch(value, '(%S+)=(%d+)') do
      if who == token then dropped = dropped + 1 else kept[#kept + 1] = who .. '=' .. until_ms end
    end
    if #kept == 0 then
      rcall('HDEL', KEYS[1], orderNo)
    else
      rcall('HSET', KEYS[1], orderNo, table.concat(kept, ' '))
    end
  end
end
return dropped
