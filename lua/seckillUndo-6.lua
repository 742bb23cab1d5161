--[[
  Releases a reservation that will never become an order (its message was dead-lettered):
  the units go back to stock and the buyer's result becomes "failed". Only a reservation
  still pending can be released, so a second call, or a call for an order that exists, does
  nothing.

  Input:
    KEYS[1] stock
    KEYS[2] buyers    hash: user id -> highest buyer slot handed out
    KEYS[3] pending   hash: order_no -> order message
    KEYS[4] due       zset: order_no -> re-publish time
    KEYS[5] claimed   set: order numbers a consumer is turning into rows
    KEYS[6] result    hash: user id -> latest outcome

    ARGV[1] order_no
    ARGV[2] user id
    ARGV[3] quantity
    ARGV[4] the buyer slot of this reservation

  Output:
     1  released
     0  not pending (already an order, or already released)
]]
local rcall = redis.call

if rcall('HDEL', KEYS[3], ARGV[1]) == 0 then return 0 end
rcall('ZREM', KEYS[4], ARGV[1])
rcall('SREM', KEYS[5], ARGV[1])
rcall('INCRBY', KEYS[1], ARGV[3])
-- The slot is handed back only when it is the buyer's latest: a later slot may already be
-- an order row, and reusing a slot below it would collide with UNIQUE(activity, user, slot).
if tonumber(rcall('HGET', KEYS[2], ARGV[2]) or '0') == tonumber(ARGV[4]) then
  rcall('HINCRBY', KEYS[2], ARGV[2], -tonumber(ARGV[3]))
end
if rcall('HGET', KEYS[6], ARGV[2]) == 'queued:' .. ARGV[1] then
  rcall('HSET', KEYS[6], ARGV[2], 'failed:' .. ARGV[1])
end
return 1
