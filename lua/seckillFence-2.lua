--[[
  Fences an activity while it is re-initialised: `loading` in its meta stops the reservation
  script (503 BUSY) from before the MySQL row changes until the load of the new round
  replaces the meta. A crash anywhere in between leaves the activity fenced (not selling),
  never selling the old round's Redis stock against the new MySQL row; the next init or
  `seckill reconcile --fix` reloads it from MySQL. Refused while reservations are pending,
  atomically with setting the fence, so no reservation slips in between.
  With ARGV[2] = 0 it lifts its own fence (the MySQL write failed and nothing changed).

  Input:
    KEYS[1] meta
    KEYS[2] pending

    ARGV[1] generation being written
    ARGV[2] 1 = fence, 0 = lift this generation's fence

  Output:
     1  fenced
     0  lifted (or there was no fence)
    -1  reservations are pending; nothing changed
    -2  another generation's fence is in place; nothing changed
]]
local rcall = redis.call

if ARGV[2] == '1' then
  if rcall('HLEN', KEYS[2]) > 0 then return -1 end
  rcall('HSET', KEYS[1], 'loading', ARGV[1])
  return 1
end

local loading = rcall('HGET', KEYS[1], 'loading')
if not loading then return 0 end
if loading ~= ARGV[1] then return -2 end
rcall('HDEL', KEYS[1], 'loading')
return 0
