#!/usr/bin/env bash
# Runs every Warden test against real parts: PostgreSQL, SQLite, (later) an SMTP server, Chromium and an
# OIDC provider, all started here on 127.0.0.1 and stopped on exit. Installs what is missing (apt/npm).
# Ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
WORK="$ROOT/.test-work"
rm -rf "$WORK" && mkdir -p "$WORK"

log() { printf '\n== %s\n' "$*"; }

# --- system packages ---------------------------------------------------------------------------------
need=()
[ -x "$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)/initdb" ] || need+=(postgresql)
[ -e /usr/lib/x86_64-linux-gnu/libargon2.so.1 ] || [ -e /usr/lib/aarch64-linux-gnu/libargon2.so.1 ] || need+=(libargon2-1)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null \
    || { echo "could not install ${need[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

# --- PostgreSQL on 127.0.0.1 ---------------------------------------------------------------------------
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDIR="$WORK/pg"
PGPORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null || echo 55432)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
mkdir -p "$PGDIR"; [ "$(id -u)" = 0 ] && chown postgres "$PGDIR" "$WORK"
as_pg "$PGBIN/initdb" -D "$PGDIR" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGDIR" -l "$PGDIR/log" -w \
  -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
cleanup() { as_pg "$PGBIN/pg_ctl" -D "$PGDIR" -m immediate stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
export WARDEN_TEST_POSTGRES_DSN="postgres://postgres@127.0.0.1:$PGPORT/postgres?sslmode=disable"

passed=0; failed=0

# --- .NET tests (unit, store tests on both databases, HTTP integration) --------------------------------
log "dotnet test"
dotnet test "$ROOT/Warden.sln" -c Release --logger "trx;LogFileName=dotnet.trx" --results-directory "$WORK/results" \
  --logger "console;verbosity=minimal" 2>&1 | tee "$WORK/dotnet-test.log" | grep -E "^\s*(Failed|Passed!|Failed!|error)|\[FAIL\]|Total tests" || true
trx="$WORK/results/dotnet.trx"
if [ -f "$trx" ]; then
  p=$(grep -o '<Counters [^>]*' "$trx" | grep -o 'passed="[0-9]*"' | grep -o '[0-9]*')
  f=$(grep -o '<Counters [^>]*' "$trx" | grep -o 'failed="[0-9]*"' | grep -o '[0-9]*')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
else
  echo "dotnet test produced no results (build failure?); see $WORK/dotnet-test.log"
  tail -30 "$WORK/dotnet-test.log"
  failed=$((failed + 1))
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
