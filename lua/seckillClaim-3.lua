--[[
  Claims reservations for a consumer batch about to insert their orders. A pending
  reservation is claimed under the batch's token until the lease runs out, so an undo by
  another batch leaves it alone while this one may still commit it. A released reservation
  (its tombstone is in `released`) must never become an order; one neither pending nor
  released is already an order (a redelivery) or lost with Redis data: the consumer inserts
  it, and the unique keys of the orders table keep that exactly-once.

  Input:
    KEYS[1] pending   hash: order_no -> order message
    KEYS[2] claims    hash: order_no -> live claims, "token=expiry_ms token=expiry_ms ..."
    KEYS[3] released  set: tombstones of released reservations

    ARGV[1] the batch's claim token
    ARGV[2] lease, ms
    ARGV[3..n] order numbers

  Output:
    an array of codes, one per order number:
     1  claimed: still pending
     0  not pending and not released (an order already, or its record was lost)
    -1  released: never to become an order
]]
local rcall = redis.call
local clock = rcall('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local token = ARGV[1]
local expiry = now + tonumber(ARGV[2])

local out = {}
for i = 3, #ARGV do
  local orderNo = ARGV[i]
  if rcall('HEXISTS', KEYS[1], orderNo) == 1 then
    local live = {}
    for who, until_ms in string.gmatch(rcall('HGET', KEYS[2], orderNo) or '', '(%S+)=(%d+)') do
      if who ~= token and tonumber(until_ms) > now then live[#live + 1] = who .. '=' .. until_ms end
    end
    live[#live + 1] = token .. '=' .. expiry
    rcall('HSET', KEYS[2], orderNo, table.concat(live, ' '))
    out[#out + 1] = 1
  elseif rcall('SISMEMBER', KEYS[3], orderNo) == 1 then
    out[#out + 1] = -1
  else
    out[#out + 1] = 0
  end
end
return out
