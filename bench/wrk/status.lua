-- P4: read an order's status as the portal polls it.
function init(args)
  path = "/api/v1/payment-orders/" .. args[1]
end
function request()
  return wrk.format("GET", path, { ["Authorization"] = "Bearer pk_dev_demo_key_DEVELOPMENT_ONLY" })
end
