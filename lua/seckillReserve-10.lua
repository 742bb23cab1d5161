--[[
  Reserves seckill units for one buyer, atomically: idempotency replay, the buyer's and the
  client address's request rates (token buckets), activity window, the anti-bot token,
  per-user limit, stock, outbox bound, then the decrement and the pending (outbox) record. One script, so one Redis round trip a request.
  Idempotent on the order number: when a client resends the call after a reconnect (the
  first run's reply was lost), the reservation that run made is answered again, never a
  second one.

  Input:
    KEYS[1] meta      hash: start_ms end_ms limit activity_id product_id price_cents generation
                      (+ loading while a re-init is fencing it)
    KEYS[2] stock     units left in Redis
    KEYS[3] buyers    hash: user id -> highest buyer slot handed out (units ever reserved)
    KEYS[4] pending   hash: order_no -> order message (the outbox) until the order row exists
    KEYS[5] due       zset: order_no -> when the sweeper should re-publish it
    KEYS[6] result    hash: user id -> "queued:<order_no>" / "success:..." / "failed:..."
    KEYS[7] idem      string: order_no answered to this user's Idempotency-Key
    KEYS[8] bucket    hash: tokens, at_us (the buyer's rate limit, Redis clock)
    KEYS[9] used      string: set once the request's anti-bot token is spent (one use each)
    KEYS[10] ip bucket hash: tokens, at_us (the client address's rate limit)

    ARGV[1] user id
    ARGV[2] order number to hand out
    ARGV[3] quantity
    ARGV[4] now, ms
    ARGV[5] outbox limit: unconfirmed reservations allowed (those due before now + ARGV[6])
    ARGV[6] pending max age, ms (an unconfirmed reservation is re-published after this)
    ARGV[7] idempotency key TTL, seconds; 0 when the request carried no key
    ARGV[8] bucket rate, tokens a second; 0 when rate limits are off
    ARGV[9] bucket burst
    ARGV[10] anti-bot token: "1" when the request carried a valid one (signature, buyer,
             product and expiry checked by the caller), "0" otherwise
    ARGV[11] token TTL, seconds (how long KEYS[9] must outlive the token)
    ARGV[12] address bucket rate, tokens a second; 0 when off
    ARGV[13] address bucket burst

  Output:
     1, message   reserved (or this order number's reservation is still pending: a resend);
                  the message is the JSON to publish
     2, order_no  replay of an earlier answer to the same Idempotency-Key, or a resend of a
                  reservation already turned into an order or released
    -1            no activity for this product
    -2            not started
    -3            ended
    -4            sold out
    -5            the buyer's limit is reached
    -6            outbox full: too many reservations not yet confirmed by the broker
    -7, retry_ms  rate limited: the buyer's or the address's bucket is empty; a token is back
                  in retry_ms
    -8            the activity needs an anti-bot token and this one is missing, invalid or spent
    -9            the activity is being re-initialised (fenced); nothing changed
]]
local rcall = redis.call

local resent = rcall('HGET', KEYS[4], ARGV[2])
if resent then return {1, resent} end
local latest = rcall('HGET', KEYS[6], ARGV[1])
if latest and string.find(latest, ':' .. ARGV[2], 1, true) then return {2, ARGV[2]} end

if ARGV[7] ~= '0' then
  local prior = rcall('GET', KEYS[7])
  if prior then return {2, prior} end
end

-- A token bucket on the Redis clock; returns the wait in ms when empty, else nil.
local function take(key, rate, burst)
  local clock = rcall('TIME')
  local nowUs = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
  local bucket = rcall('HMGET', key, 'tokens', 'at_us')
  local tokens = tonumber(bucket[1]) or burst
  local at = tonumber(bucket[2]) or nowUs
  tokens = math.min(burst, tokens + (nowUs - at) * rate / 1000000)
  local refused = tokens < 1
  if not refused then tokens = tokens - 1 end
  rcall('HSET', key, 'tokens', tokens, 'at_us', nowUs)
  rcall('PEXPIRE', key, math.ceil(burst / rate * 1000) + 1000)
  if refused then return math.ceil((1 - tokens) / rate * 1000) end
  return nil
end

local rate = tonumber(ARGV[8])
if rate > 0 then
  local wait = take(KEYS[8], rate, tonumber(ARGV[9]))
  if wait then return {-7, wait} end
end
local ipRate = tonumber(ARGV[12])
if ipRate > 0 then
  local wait = take(KEYS[10], ipRate, tonumber(ARGV[13]))
  if wait then return {-7, wait} end
end

local meta = rcall('HMGET', KEYS[1], 'start_ms', 'end_ms', 'limit', 'activity_id', 'product_id',
  'price_cents', 'generation', 'anti_bot', 'loading')
if not meta[1] then return {-1} end
if meta[9] then return {-9} end

local now = tonumber(ARGV[4])
if now < tonumber(meta[1]) then return {-2} end
if now >= tonumber(meta[2]) then return {-3} end

-- Spent even when the buy is refused further down: a token is one attempt, not one order.
if meta[8] and meta[8] ~= 'none' then
  if ARGV[10] ~= '1' then return {-8} end
  if not rcall('SET', KEYS[9], ARGV[1], 'NX', 'EX', ARGV[11]) then return {-8} end
end

local quantity = tonumber(ARGV[3])
local held = tonumber(rcall('HGET', KEYS[3], ARGV[1]) or '0')
if held + quantity > tonumber(meta[3]) then return {-5} end

if tonumber(rcall('GET', KEYS[2]) or '0') < quantity then return {-4} end

-- Unconfirmed entries are due within the max age; confirmed ones were pushed further out.
local maxAge = tonumber(ARGV[6])
if rcall('ZCOUNT', KEYS[5], '-inf', now + maxAge) >= tonumber(ARGV[5]) then return {-6} end

rcall('DECRBY', KEYS[2], quantity)
local slot = rcall('HINCRBY', KEYS[3], ARGV[1], quantity)
local message = cjson.encode({
  order_no = ARGV[2],
  user_id = tonumber(ARGV[1]),
  activity_id = tonumber(meta[4]),
  product_id = tonumber(meta[5]),
  price_cents = tonumber(meta[6]),
  generation = tonumber(meta[7]),
  quantity = quantity,
  slot = slot,
  reserved_at = now
})
rcall('HSET', KEYS[4], ARGV[2], message)
rcall('ZADD', KEYS[5], now + maxAge, ARGV[2])
rcall('HSET', KEYS[6], ARGV[1], 'queued:' .. ARGV[2])
if ARGV[7] ~= '0' then rcall('SET', KEYS[7], ARGV[2], 'EX', ARGV[7]) end
return {1, message}
