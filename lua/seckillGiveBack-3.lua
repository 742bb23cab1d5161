--[[
  Gives the units of a cancelled or timed-out seckill order back to Redis stock, once per
  order whatever the number of calls (a retried cancel, a redelivered timeout). The buyer
  slot is not given back: the order row keeps it.

  Input:
    KEYS[1] meta      the activity must still be loaded
    KEYS[2] stock
    KEYS[3] returned  set: order numbers whose units came back

    ARGV[1] order_no
    ARGV[2] quantity

  Output:
     1  given back
     0  already given back
    -1  the activity is not in Redis (reconcile --fix reloads it)
]]
local rcall = redis.call

if rcall('EXISTS', KEYS[1]) == 0 then return -1 end
if rcall('SADD', KEYS[3], ARGV[1]) == 0 then return 0 end
rcall('INCRBY', KEYS[2], ARGV[2])
return 1
