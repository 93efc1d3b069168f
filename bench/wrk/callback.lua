-- P3: signed wallet notifications, each for a different order (prepared by bench/run.sh), each paying it:
-- verify, mark paid, post the ledger, issue and sign the receipt. Each thread walks its own slice of the file.
local paths = {}
for line in io.lines(os.getenv("IPN_FILE")) do table.insert(paths, line) end
local tid, threads_n, i = 0, 1, 0
local created = 0
function setup(thread)
  created = created + 1
  thread:set("tid", created)
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
