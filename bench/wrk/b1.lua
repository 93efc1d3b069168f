-- B1: one EF Core insert per request (writes serialised), the write baseline.
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
