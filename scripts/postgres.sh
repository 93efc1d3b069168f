#!/usr/bin/env bash
# Makes a local PostgreSQL ready for the test suite, idempotently: installs it (Debian, as root) when missing,
# creates and starts the cluster, and creates the role "payments" (password "payments", test-only) allowed to
# create the throw-away databases the tests use. Prints the connection string on success; exits non-zero otherwise.
set -euo pipefail

VERSION=15
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [ ! -x /usr/lib/postgresql/$VERSION/bin/postgres ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "postgres.sh: installing PostgreSQL $VERSION" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  else
    echo "postgres.sh: PostgreSQL is missing and cannot be installed here (needs root on Debian)" >&2
    exit 1
  fi
fi
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$VERSION main"; then
  pg_createcluster $VERSION main >&2
fi
if ! pg_lsclusters -h | grep -q "^$VERSION main .* online"; then
  pg_ctlcluster $VERSION main start >&2
fi
wait_ready() {
  for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p 5432 && break
    sleep 0.5
  done
  pg_isready -q -h 127.0.0.1 -p 5432 || { echo "postgres.sh: the server did not come up" >&2; exit 1; }
}
wait_ready
# The suite runs test classes in parallel and starts API processes of its own, each with a connection pool: the
# default 100 connections run out under the 64-way races (53300 "remaining connection slots are reserved").
if [ "$(su postgres -c "psql -qtAc 'SHOW max_connections'")" -lt 300 ]; then
  su postgres -c "psql -qc 'ALTER SYSTEM SET max_connections = 300'" >&2
  pg_ctlcluster $VERSION main restart >&2
  wait_ready
fi
su postgres -c "psql -v ON_ERROR_STOP=1 -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='payments'\"" | grep -q 1 \
  || su postgres -c "psql -v ON_ERROR_STOP=1 -qc \"CREATE ROLE payments LOGIN CREATEDB PASSWORD 'payments'\"" >&2
# Tests drop their own databases WITH (FORCE); an autovacuum worker in one has no role, and ending it needs this.
su postgres -c "psql -v ON_ERROR_STOP=1 -qtAc \"SELECT pg_has_role('payments', 'pg_signal_backend', 'member')\"" | grep -q t \
  || su postgres -c "psql -v ON_ERROR_STOP=1 -qc 'GRANT pg_signal_backend TO payments'" >&2
echo "Host=127.0.0.1;Port=5432;Username=payments;Password=payments;Database=postgres"
