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

. "$ROOT/scripts/pg.sh"

# --- system packages (real parts the tests talk to) ----------------------------------------------------
apt_need postgresql libargon2-1 python3-aiosmtpd chromium sqlite3 || { echo "could not install test dependencies"; echo "0 passed, 1 failed"; exit 1; }

# --- PostgreSQL on 127.0.0.1 ---------------------------------------------------------------------------
pg_start "$WORK/pg" || { echo "PostgreSQL did not start"; echo "0 passed, 1 failed"; exit 1; }
trap 'pg_stop "$WORK/pg"' EXIT
export WARDEN_TEST_POSTGRES_DSN="$PG_DSN"

passed=0; failed=0

# --- .NET tests (unit, store tests on both databases, HTTP integration) --------------------------------
log "dotnet test"
# A pool of one PostgreSQL connection: code that holds a connection while it waits for a second one (which
# starves a small pool under load, e.g. Kratos' default of twice the cores) then times out here at once
# instead of passing. A test that needs two at once asks for them (TestDb.CreateAsync's minConnections).
WARDEN_TEST_POSTGRES_DSN="$PG_DSN&max_conns=1&connect_timeout=5" dotnet test "$ROOT/Warden.sln" -c Release --logger "trx;LogFilePrefix=dotnet" --results-directory "$WORK/results" \
  --logger "console;verbosity=minimal" 2>&1 | tee "$WORK/dotnet-test.log" | grep -E "^\s*(Failed|Passed!|Failed!|error)|\[FAIL\]|Total tests" || true
# One .trx per test project (unit/integration, browser); add up their counters.
trxs=$(ls "$WORK"/results/*.trx 2>/dev/null | wc -l)
for trx in "$WORK"/results/*.trx; do
  [ -f "$trx" ] || continue
  p=$(grep -o '<Counters [^>]*' "$trx" | grep -o ' passed="[0-9]*"' | grep -o '[0-9]*')
  f=$(grep -o '<Counters [^>]*' "$trx" | grep -o ' failed="[0-9]*"' | grep -o '[0-9]*')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$trxs" -lt 2 ] || grep -qE "error (CS|MSB)[0-9]+" "$WORK/dotnet-test.log"; then
  echo "a test project did not run (build failure?); see $WORK/dotnet-test.log"
  grep -E "error (CS|MSB)[0-9]+" "$WORK/dotnet-test.log" | sort -u | head -20
  failed=$((failed + 1))
fi

# --- @ory/client compatibility suite against a running Warden -----------------------------------------
log "@ory/client compatibility suite"
if command -v node >/dev/null && command -v npm >/dev/null; then
  WARDEN_COMPAT_NO_BUILD=1 WORK="$WORK" tests/compat/run.sh > "$WORK/compat.log" 2>&1
  grep -E "^(not ok|ok) " "$WORK/compat.log" | sed 's/^/  /'
  grep -E "^not ok" -A 25 "$WORK/compat.log" | grep -E "message:|error:|expected|actual" | head -20
  p=$(grep -E '^# pass ' "$WORK/compat.log" | awk '{print $3}'); f=$(grep -E '^# fail ' "$WORK/compat.log" | awk '{print $3}')
  # A skipped compatibility test proves nothing: count it as a failure.
  sk=$(grep -E '^# skipped ' "$WORK/compat.log" | awk '{print $3}'); f=$(( ${f:-0} + ${sk:-0} ))
  if [ -z "$p" ]; then echo "  compat suite did not run; see $WORK/compat.log"; tail -20 "$WORK/compat.log"; f=1; p=0; fi
  passed=$((passed + p)); failed=$((failed + f))
else
  echo "  node/npm missing: install Node.js 20 to run the SDK compatibility suite"; failed=$((failed + 1))
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
