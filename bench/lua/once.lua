-- GET the target once for every credential in FILE, then stop sending (warms Warden's session cache):
--   wrk -t1 ... -d10m -s once.lua URL -- FILE HEADER
local values, header = {}, nil
local i, seen = 0, 0
function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(values, line) end
  end
  header = args[2]
end
function request()
  i = i % #values + 1
  return wrk.format("GET", nil, { [header] = values[i] })
end
function response(status, headers, body)
  seen = seen + 1
  if seen >= #values then wrk.thread:stop() end
end
