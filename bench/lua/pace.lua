-- Appended to header.lua for paced runs: every connection waits delay_ms (mean) before each request, dithered
-- between whole milliseconds because wrk's timer has millisecond resolution. Only present when pacing: wrk
-- schedules every request through its timer once a script defines delay(), which costs throughput.
function delay()
  local whole = math.floor(delay_ms)
  if math.random() < delay_ms - whole then return whole + 1 end
  return whole
end
