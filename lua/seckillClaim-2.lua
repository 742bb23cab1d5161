--[[
  Claims reservations for a consumer about to insert their orders: only a reservation still
  pending may become a row (a released one must not), and a claimed one stays so until the
  consumer clears it.

  Input:
    KEYS[1] pending   hash: order_no -> order message
    KEYS[2] claimed   set

    ARGV[1..n] order numbers

  Output:
    an array of n codes, one per order number:
     1  claimed: still pending
     0  not pending (done or released)
]]
local out = {}
for i = 1, #ARGV do
  if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 1 then
    redis.call('SADD', KEYS[2], ARGV[i])
    out[i] = 1
  else
    out[i] = 0
  end
end
return out
