# Sourced by bench/run.sh and bench/cost.sh: the one place that says how the benchmarks host the API.
# api_settings <published app dir> <SQLite store file> <work dir>: sets the array API_SETTINGS to the environment of a
# benchmark process — the benchmark-only baselines on, background jobs and rate limits out of the way, the store's
# durable defaults (WAL, synchronous=FULL) untouched. Callers add ASPNETCORE_URLS and their own VAR=value pairs after it.
api_settings() {
  API_SETTINGS=(ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_CONTENTROOT="$1" DOTNET_gcServer=0
    ConnectionStrings__Payments="Data Source=$2" Payments__Benchmark__Baselines=true
    Payments__Janitor__Enabled=false Payments__Outbox__Enabled=false Payments__Receipts__Certificate__Path="$3/signer.pfx"
    Logging__LogLevel__Default=Warning Payments__RateLimits__Callbacks__PermitLimit=100000000
    Payments__RateLimits__Public__PermitLimit=100000000)
}
