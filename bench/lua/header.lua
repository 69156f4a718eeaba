-- GET the target URL with a credential header, cycling through credentials read from a file (one per line):
--   wrk ... -s header.lua URL -- FILE HEADER [PREFIX] [DELAY_MS]
-- HEADER is e.g. X-Session-Token, Cookie or Authorization; PREFIX is prepended (e.g. "Bearer ").
-- DELAY_MS is read for pace.lua (appended when measuring latency at a fixed fraction of max throughput).
local values, header, prefix = {}, nil, ""
delay_ms = 0
local i = 0
function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(values, line) end
  end
  header = args[2]
  prefix = args[3] or ""
  delay_ms = tonumber(args[4] or "0")
  math.randomseed(os.time())
  i = math.random(#values)
end
function request()
  i = i % #values + 1
  return wrk.format("GET", nil, { [header] = prefix .. values[i] })
end
