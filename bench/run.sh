#!/usr/bin/env bash
# Load benchmarks against same-run baselines (issue [7/8]); see docs/BENCHMARKS.md.
#   bench/run.sh           15 s per measure
#   bench/run.sh --quick   5 s per measure (about 2 minutes in all)
# Publishes Release, starts the API on 127.0.0.1 with a fresh SQLite store (WAL, synchronous=FULL) and the
# benchmark-only baselines (B0 fixed JSON, B1 one serialised EF insert), drives it with wrk, prints one line per
# measure "P<n> <name> ratio=<x> target=<t> PASS|FAIL", and stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=15s; PREPARE=6000
if [ "${1:-}" = "--quick" ]; then DURATION=5s; PREPARE=2500; fi
CONNECTIONS=16
command -v wrk >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || { echo "run.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }

work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

echo "Publishing (Release)…" >&2
dotnet publish src/Payments.Api -c Release -r linux-x64 --self-contained false -o "$work/app" --nologo -v q >/dev/null
dotnet build bench/Payments.Benchmarks -c Release --nologo -v q >/dev/null

# start_api <name> [VAR=value ...]: a fresh store and process; sets url, pid, startup_ms.
start_api() {
  local name=$1; shift
  port=$((20000 + RANDOM % 20000)); url="http://127.0.0.1:$port"
  local started; started=$(date +%s%N)
  env "$@" ASPNETCORE_URLS=$url ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_CONTENTROOT="$work/app" DOTNET_gcServer=0 \
    ConnectionStrings__Payments="Data Source=$work/$name.db" Payments__Benchmark__Baselines=true \
    Payments__Janitor__Enabled=false Payments__Outbox__Enabled=false Payments__Receipts__Certificate__Path="$work/signer.pfx" \
    Logging__LogLevel__Default=Warning \
    dotnet "$work/app/Payments.Api.dll" >"$work/$name.log" 2>&1 &
  pid=$!
  until curl -sf "$url/health/ready" >/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/$name.log" >&2; exit 1; }
    sleep 0.05
  done
  startup_ms=$(( ($(date +%s%N) - started) / 1000000 ))
}
stop_api() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; pid=""; }

# wrk → "rps p99_ms"
measure() { # script-or-empty path method args...
  local script=$1 path=$2; shift 2
  local out
  if [ -n "$script" ]; then out=$(wrk -t2 -c$CONNECTIONS -d$DURATION --latency -s "$script" "$url$path" -- "$@")
  else out=$(wrk -t2 -c$CONNECTIONS -d$DURATION --latency "$url$path"); fi
  echo "$out" >>"$work/wrk.log"
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; print v}')
  local non2xx; non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  [ -n "$non2xx" ] && echo "run.sh: $path answered $non2xx non-2xx responses" >&2
  echo "$rps ${p99:-0}"
}
line() { # n name measured target pass
  printf 'P%s %s ratio=%s target=%s %s\n' "$1" "$2" "$3" "$4" "$5"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

# The JIT needs ~20 s of traffic to reach steady code (tiered compilation); measures start after it.
warm_up() {
  wrk -t2 -c16 -d3s "$url/bench/b0" >/dev/null
  wrk -t2 -c16 -d5s -s bench/wrk/b1.lua "$url/bench/b1" >/dev/null
  wrk -t2 -c16 -d${WARM_CREATE:-10s} -s bench/wrk/create-order.lua "$url/api/v1/payment-orders" -- "warm$RANDOM" >/dev/null
}

# Run 1: one commit per command (Payments:Sqlite:GroupCommit=false) for P1, against its own B1.
echo "Run 1 (one commit per command): starting, warming up…" >&2
start_api commit-each Payments__Sqlite__GroupCommit=false
warm_up
read -r b1e_rps b1e_p99 < <(measure bench/wrk/b1.lua /bench/b1)
read -r p1_rps p1_p99 < <(measure bench/wrk/create-order.lua /api/v1/payment-orders "$(date +%s)")
stop_api

# Run 2: the default (group commit on) for everything else.
echo "Run 2 (default settings, group commit): starting, warming up…" >&2
start_api default
warm_up
echo "Preparing $PREPARE orders with signed wallet notifications…" >&2
dotnet bench/Payments.Benchmarks/bin/Release/net10.0/linux-x64/Payments.Benchmarks.dll --prepare-load "$url" "$PREPARE" "$work/ipns.txt" "$work/order.txt" >&2

read -r b0_rps b0_p99 < <(measure "" /bench/b0)
read -r b1_rps b1_p99 < <(measure bench/wrk/b1.lua /bench/b1)
read -r p2_rps p2_p99 < <(measure bench/wrk/create-order.lua /api/v1/payment-orders "$(date +%s)")
read -r p3_rps p3_p99 < <(IPN_FILE="$work/ipns.txt" measure bench/wrk/callback.lua /callbacks/sandbox 2)
read -r p4_rps p4_p99 < <(measure bench/wrk/status.lua /api/v1/payment-orders "$(cat "$work/order.txt")")
rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")

echo
printf '%-34s %12s %10s\n' "measure ($CONNECTIONS connections, $DURATION)" "req/s" "p99 ms"
printf '%-34s %12s %10s\n' "run 1: B1 one serialised EF insert" "$b1e_rps" "$b1e_p99"
printf '%-34s %12s %10s\n' "run 1: P1 create order, no grouping" "$p1_rps" "$p1_p99"
printf '%-34s %12s %10s\n' "B0 fixed JSON" "$b0_rps" "$b0_p99"
printf '%-34s %12s %10s\n' "B1 one serialised EF insert" "$b1_rps" "$b1_p99"
printf '%-34s %12s %10s\n' "P2 create order, group commit" "$p2_rps" "$p2_p99"
printf '%-34s %12s %10s\n' "P3 wallet callback → paid+receipt" "$p3_rps" "$p3_p99"
printf '%-34s %12s %10s\n' "P4 order status read" "$p4_rps" "$p4_p99"
printf '%-34s %12s\n' "P8 start-up to first 200 (ms)" "$startup_ms"
printf '%-34s %12s\n' "P8 peak memory (MB)" "$((rss_kb / 1024))"
echo

r1=$(ratio "$p1_rps" "$b1e_rps"); q1=$(ratio "$p1_p99" "$b1e_p99")
ge "$r1" 1.0 && le "$q1" 2.0 && s=PASS || s=FAIL; line 1 create-order "$r1 (p99 ${q1}x B1)" ">=1.0xB1, p99<=2xB1" $s
r2=$(ratio "$p2_rps" "$b1_rps"); ge "$r2" 3.0 && le "$p2_p99" 20 && s=PASS || s=FAIL; line 2 group-commit "$r2 (p99 ${p2_p99}ms)" ">=3.0xB1, p99<=20ms" $s
r3=$(ratio "$p3_rps" "$b1_rps"); ge "$r3" 0.6 && s=PASS || s=FAIL; line 3 callback-paid "$r3" ">=0.6xB1" $s
r4=$(ratio "$p4_rps" "$b0_rps"); ge "$r4" 0.5 && s=PASS || s=FAIL; line 4 status-read "$r4" ">=0.5xB0" $s
le "$startup_ms" 2000 && s=PASS || s=FAIL; line 8 startup "${startup_ms}ms" "<=2000ms" $s
le "$((rss_kb / 1024))" 250 && s=PASS || s=FAIL; line 8 memory "$((rss_kb / 1024))MB" "<=250MB" $s
