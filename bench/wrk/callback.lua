-- P3: signed wallet notifications, each for a different order (prepared by bench/run.sh), each paying it:
-- verify, mark paid, post the ledger, issue and sign the receipt. Each thread walks its own slice of the file.
local paths = {}
for line in io.lines(os.getenv("IPN_FILE")) do table.insert(paths, line) end
-- tid is a global: setup() sets it in each thread's own Lua state (a file-level local would hide it, and every thread
-- would then walk the same lines, each notification sent twice).
local threads_n, i = 1, 0
local created = 0
local threads = {}
repeats = 0
function setup(thread)
  created = created + 1
  thread:set("tid", created)
  table.insert(threads, thread)
end
function init(args)
  threads_n = tonumber(args[1]) or 1
  i = tid - 1
end
function request()
  i = i + threads_n
  if i > #paths then i = ((i - 1) % #paths) + 1 end
  return wrk.format("GET", paths[i])
end
-- A notification that did not pay ("02" already confirmed, once the file wrapped around) is counted: run.sh refuses a
-- P3 figure with repeats in it (prepare more notifications instead).
function response(status, headers, body)
  if not string.find(body, '"RspCode":"00"', 1, true) then repeats = repeats + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + (t:get("repeats") or 0) end
  io.write(string.format("callback-repeats %d\n", total))
end
