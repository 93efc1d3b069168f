#!/usr/bin/env bash
# What one request costs the service, for profiling the measures bench/run.sh ratios (issue [7/8]).
#   bench/cost.sh [b0|b1|p1|p2|p3 ...]     (default: all five; about 25 s each, 40 s for p3)
#   APP=<published dir> bench/cost.sh …    reuse a build instead of publishing one
# Each measure gets a fresh SQLite store and process (bench/settings.sh, as bench/run.sh), 10 s of warm-up, then 8 s at
# wrk -t2 -c16. It prints req/s, the process's CPU in cores and in microseconds per request (from /proc), the machine's
# idle cores (CPU left on the table means a serial section, not CPU, is the limit), and context switches per request
# over all the process's threads (by perf stat, when perf is installed). Stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/settings.sh
command -v wrk >/dev/null || { echo "cost.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

app=${APP:-}
if [ -z "$app" ]; then
  echo "Publishing (Release)…" >&2
  dotnet publish src/Payments.Api -c Release -r linux-x64 --self-contained false -o "$work/app" --nologo -v q >/dev/null
  app=$work/app
fi

start() { # start <group commit true|false>
  rm -f "$work"/c.db*
  port=$((20000 + RANDOM % 20000)); url="http://127.0.0.1:$port"
  api_settings "$app" "$work/c.db" "$work"
  env ASPNETCORE_URLS=$url "${API_SETTINGS[@]}" Payments__Sqlite__GroupCommit="$1" dotnet "$app/Payments.Api.dll" >"$work/log" 2>&1 &
  pid=$!
  until curl -sf "$url/health/ready" >/dev/null; do kill -0 "$pid" 2>/dev/null || { cat "$work/log" >&2; exit 1; }; sleep 0.05; done
}
measure() { # measure <name> <wrk args…>: 8 s, with the process's counters around it
  local name=$1 t0 i0 t1 i1 out rps switches=0 counter=""; shift
  # Threads come and go (the pool retires idle ones), so switches are counted by perf when it is there.
  command -v perf >/dev/null && { perf stat -e context-switches -x, -o "$work/cs" -p "$pid" -- sleep 8 2>/dev/null & counter=$!; }
  t0=$(awk '{print $14+$15}' /proc/"$pid"/stat); i0=$(awk '/^cpu /{print $5+$6}' /proc/stat)
  out=$(wrk -t2 -c16 -d8s "$@")
  [ -n "$counter" ] && wait "$counter"; [ -s "$work/cs" ] && switches=$(awk -F, '/context-switches/ {print $1}' "$work/cs"); rm -f "$work/cs"
  t1=$(awk '{print $14+$15}' /proc/"$pid"/stat); i1=$(awk '/^cpu /{print $5+$6}' /proc/stat)
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  echo "$out" | grep -q 'Non-2xx' && echo "cost.sh: $name had non-2xx answers" >&2
  awk -v n="$name" -v r="$rps" -v a="$t0" -v b="$t1" -v c="$i0" -v d="$i1" -v s="$switches" 'BEGIN {
    printf "%-3s %9.0f req/s  app CPU %.2f cores  %5.0f us/request  machine idle %.2f cores  %5.1f context switches/request%s\n",
      n, r, (b-a)/100/8, (b-a)/100/8/r*1e6, (d-c)/100/8, s/(r*8), (s > 0 ? "" : " (perf missing: not counted)") }'
}
stop() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; pid=""; }

for m in ${*:-b0 b1 p1 p2 p3}; do
  case $m in
    b0) start true; wrk -t2 -c16 -d10s "$url/bench/b0" >/dev/null; measure b0 "$url/bench/b0" ;;
    b1) start false; wrk -t2 -c16 -d10s -s bench/wrk/b1.lua "$url/bench/b1" >/dev/null; measure b1 -s bench/wrk/b1.lua "$url/bench/b1" ;;
    p1|p2)
      [ "$m" = p1 ] && start false || start true
      wrk -t2 -c16 -d10s -s bench/wrk/create-order.lua "$url/api/v1/payment-orders" -- "w$RANDOM" >/dev/null
      measure "$m" -s bench/wrk/create-order.lua "$url/api/v1/payment-orders" -- "m$RANDOM" ;;
    p3)
      start true
      [ -f bench/Payments.Benchmarks/bin/Release/net10.0/linux-x64/Payments.Benchmarks.dll ] ||
        dotnet build bench/Payments.Benchmarks -c Release --nologo -v q >/dev/null
      wrk -t2 -c16 -d8s -s bench/wrk/create-order.lua "$url/api/v1/payment-orders" -- "w$RANDOM" >/dev/null
      dotnet bench/Payments.Benchmarks/bin/Release/net10.0/linux-x64/Payments.Benchmarks.dll --prepare-load "$url" 20000 \
        "$work/all.txt" "$work/order.txt" >/dev/null
      head -n 1500 "$work/all.txt" >"$work/warm.txt"; tail -n +1501 "$work/all.txt" >"$work/ipns.txt"
      IPN_FILE=$work/warm.txt wrk -t2 -c16 -d3s -s bench/wrk/callback.lua "$url/callbacks/sandbox" -- 2 >/dev/null
      IPN_FILE=$work/ipns.txt measure p3 -s bench/wrk/callback.lua "$url/callbacks/sandbox" -- 2 ;;
    *) echo "cost.sh: unknown measure '$m' (b0 b1 p1 p2 p3)" >&2; exit 2 ;;
  esac
  stop
done
