-- wrk script of `npm run bench:seckill`: POST /api/seckill for one product, each request
-- with the next buyer's token (BENCH_TOKENS: a file of tokens, one a line).
local tokens = {}
local body = '{"product_id":' .. (os.getenv('BENCH_PRODUCT') or '1') .. '}'
local n = 0

local file = os.getenv('BENCH_TOKENS')
if file then
  for line in io.lines(file) do tokens[#tokens + 1] = line end
end

request = function()
  n = n + 1
  local headers = { ['Content-Type'] = 'application/json' }
  if #tokens > 0 then headers['Authorization'] = 'Bearer ' .. tokens[(n % #tokens) + 1] end
  return wrk.format('POST', '/api/seckill', headers, body)
end
