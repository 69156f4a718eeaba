-- Creates identities through the admin API, each thread its own e-mail range, until `target` per thread.
local threads = {}
local counter = 0
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function init(args)
  target = tonumber(args[1])
end
function request()
  counter = counter + 1
  local body = string.format('{"schema_id":"default","traits":{"email":"bench-%d-%d@example.org"}}', tid, counter)
  return wrk.format("POST", "/admin/identities", {["Content-Type"] = "application/json"}, body)
end
function response(status, headers, body)
  if counter >= target then wrk.thread:stop() end
end
