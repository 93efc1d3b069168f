-- P1: create a payment order (validated, idempotent, persisted); a fresh Idempotency-Key and dossier per request.
local counter = 0
local thread_id = 0
local threads = {}
function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end
function init(args)
  run = args[1] or tostring(os.time())
end
function request()
  counter = counter + 1
  local key = string.format("bench-%s-%d-%d", run, tid, counter)
  local body = string.format('{"dossierCode":"BENCH-%s-%d-%d","procedureCode":"1.000105","agencyCode":"000.00.12.H29","channel":"online",' ..
    '"payer":{"fullName":"Nguyen Van An","idNumber":"001088012345"},"fees":[{"feeCode":"GPLX-CAP","quantity":1}]}', run, tid, counter)
  return wrk.format("POST", "/api/v1/payment-orders", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer pk_dev_demo_key_DEVELOPMENT_ONLY",
    ["Idempotency-Key"] = key,
  }, body)
end
