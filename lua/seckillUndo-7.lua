--[[
  Releases a reservation that will never become an order (its message is being
  dead-lettered): the units go back to stock, the buyer's result becomes "failed", and a
  tombstone in `released` keeps any other copy of the message from becoming an order (it
  has no expiry: a copy may come back at any time). Only a reservation still pending can
  be released, so a second call, or a call for an order that exists, does nothing; nor
  does a call while another batch holds a live claim on it (that batch may be committing
  the order right now: it makes the row or gives up its claim).

  Input:
    KEYS[1] stock
    KEYS[2] buyers    hash: user id -> highest buyer slot handed out
    KEYS[3] pending   hash: order_no -> order message
    KEYS[4] due       zset: order_no -> re-publish time
    KEYS[5] claims    hash: order_no -> live claims, "token=expiry_ms ..."
    KEYS[6] result    hash: user id -> latest outcome
    KEYS[7] released  set: tombstones of released reservations

    ARGV[1] order_no
    ARGV[2] user id
    ARGV[3] quantity
    ARGV[4] the buyer slot of this reservation
    ARGV[5] the caller's claim token (its own claim does not hold the undo back)

  Output:
     1  released
     2  already released (another copy of the message got here first)
     0  not pending and never released: already an order, or its record was lost
    -1  claimed by another batch; nothing changed
]]
local rcall = redis.call
local orderNo = ARGV[1]

local claims = rcall('HGET', KEYS[5], orderNo)
if claims then
  local clock = rcall('TIME')
  local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
  for who, until_ms in string.gmatch(claims, '(%S+)=(%d+)') do
    if who ~= ARGV[5] and tonumber(until_ms) > now then return -1 end
  end
end

if rcall('HDEL', KEYS[3], orderNo) == 0 then
  if rcall('SISMEMBER', KEYS[7], orderNo) == 1 then return 2 end
  return 0
end
rcall('HDEL', KEYS[5], orderNo)
rcall('ZREM', KEYS[4], orderNo)
rcall('SADD', KEYS[7], orderNo)
rcall('INCRBY', KEYS[1], ARGV[3])
-- The slot is handed back only when it is the buyer's latest: a later slot may already be
-- an order row, and reusing a slot below it would collide with UNIQUE(activity, user, slot).
if tonumber(rcall('HGET', KEYS[2], ARGV[2]) or '0') == tonumber(ARGV[4]) then
  rcall('HINCRBY', KEYS[2], ARGV[2], -tonumber(ARGV[3]))
end
if rcall('HGET', KEYS[6], ARGV[2]) == 'queued:' .. orderNo then
  rcall('HSET', KEYS[6], ARGV[2], 'failed:' .. orderNo)
end
return 1
