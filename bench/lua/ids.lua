-- GET /admin/identities/{id}, cycling through ids read from a file (one per line).
local ids = {}
function init(args)
  for line in io.lines(args[1]) do table.insert(ids, line) end
  i = math.random(#ids)
end
function request()
  i = i % #ids + 1
  return wrk.format("GET", "/admin/identities/" .. ids[i])
end
