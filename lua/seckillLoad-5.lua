--[[
  Loads (or re-loads) an activity into Redis in one step: window, limit, price and
  generation, the stock, and the buyers' slots rebuilt from MySQL beforehand into a staging
  key. Refused while reservations are still pending, so no queued order is orphaned, and
  (unless forced) when Redis already holds or is fencing a newer generation: a slow init
  never loads its round over a later one. Replacing the meta lifts the fence
  (seckillFence-2.lua). Idempotent: loading the same row twice gives the same state.
  With ARGV[11] = 1 (warming) it loads only when Redis lacks this generation: a second
  warmer, or one racing an init, changes nothing.

  Input:
    KEYS[1] meta
    KEYS[2] stock
    KEYS[3] buyers
    KEYS[4] buyers staging hash (renamed over buyers; may not exist when nobody bought)
    KEYS[5] pending

    ARGV[1] start_ms     ARGV[2] end_ms      ARGV[3] limit per user
    ARGV[4] activity id  ARGV[5] product id  ARGV[6] price, cents
    ARGV[7] generation   ARGV[8] stock       ARGV[9] anti_bot (none | path | captcha)
    ARGV[10] 1 = force (reconcile: MySQL is the record, whatever generation Redis holds)
    ARGV[11] 1: only when meta is missing or of an older generation (warming); 0: always

  Output:
     1  loaded
     0  already loaded (ARGV[11] = 1 and meta holds this generation or a newer one)
    -1  reservations are pending; nothing changed
    -2  Redis holds or is fencing a newer generation; nothing changed
]]
local rcall = redis.call

if ARGV[11] == '1' then
  local loaded = tonumber(rcall('HGET', KEYS[1], 'generation') or '0')
  if loaded >= tonumber(ARGV[7]) then
    rcall('DEL', KEYS[4])
    return 0
  end
end

if rcall('HLEN', KEYS[5]) > 0 then
  rcall('DEL', KEYS[4])
  return -1
end
if ARGV[10] ~= '1' then
  local current = rcall('HMGET', KEYS[1], 'generation', 'loading')
  local generation = tonumber(ARGV[7])
  if (tonumber(current[1]) or 0) > generation or (tonumber(current[2]) or 0) > generation then
    rcall('DEL', KEYS[4])
    return -2
  end
end
if rcall('EXISTS', KEYS[4]) == 1 then
  rcall('RENAME', KEYS[4], KEYS[3])
else
  rcall('DEL', KEYS[3])
end
rcall('DEL', KEYS[1])
rcall('HSET', KEYS[1], 'start_ms', ARGV[1], 'end_ms', ARGV[2], 'limit', ARGV[3],
  'activity_id', ARGV[4], 'product_id', ARGV[5], 'price_cents', ARGV[6], 'generation', ARGV[7],
  'anti_bot', ARGV[9])
rcall('SET', KEYS[2], ARGV[8])
return 1
