#!/usr/bin/env bash
# Warden benchmarks: builds Release, starts everything on 127.0.0.1, measures with wrk, writes
# docs/benchmarks.md. Numbers come from this script only, never from timed unit tests.
#   bench/run.sh [--large] [--identities N] [--duration 10s] [--connections 32]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK="$ROOT/bench/.work"
OUT="$ROOT/docs/benchmarks.md"
IDENTITIES=10000; DURATION=10s; CONNECTIONS=32
while [ $# -gt 0 ]; do
  case "$1" in
    --large) IDENTITIES=1000000 ;;
    --identities) IDENTITIES=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --connections) CONNECTIONS=$2; shift ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
  shift
done
. "$ROOT/scripts/pg.sh"
apt_need wrk postgresql libargon2-1
rm -rf "$WORK"; mkdir -p "$WORK"

# Pin the server to core 0 and wrk to core 1 when there are two or more cores, so they do not compete.
CORES=$(nproc)
if [ "$CORES" -ge 2 ] && command -v taskset >/dev/null; then SRV="taskset -c 0"; LOAD="taskset -c 1"; PINNED="server on core 0, wrk on core 1"
else SRV=""; LOAD=""; PINNED="not pinned (one core)"; fi

echo "== building Release"
dotnet publish src/Warden.Server -c Release -o "$WORK/warden" -v quiet -nologo >/dev/null
dotnet publish bench/peers/Bare -c Release -o "$WORK/bare" -v quiet -nologo >/dev/null

pg_start "$WORK/pg"
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; pg_stop "$WORK/pg"; }
trap cleanup EXIT

wait_ready() { for _ in $(seq 1 200); do curl -sf "$1" >/dev/null && return 0; sleep 0.05; done; echo "not ready: $1"; return 1; }
rss_mb() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }

# measure NAME URL [script-args...] -> appends a table row
ROWS=()
measure() {
  local name=$1 url=$2 script=$3; shift 3
  cat "$script" bench/lua/report.lua > "$WORK/run.lua"
  local line
  line=$($LOAD wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --timeout 5s -s "$WORK/run.lua" "$url" -- "$@" | grep '^RESULT')
  local rps p50 p99 err
  rps=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$line"); p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$line")
  p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$line"); err=$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$line")
  ROWS+=("| $name | $rps | $p50 | $p99 | $err | $(rss_mb "$CURRENT_PID") |")
  echo "  $name: $rps req/s, p50 $p50 ms, p99 $p99 ms, errors $err"
}
echo 'function request() return wrk.format("GET") end' > "$WORK/get.lua"

start_warden() {
  local db=$1 dsn=$2 pub admin
  pub=$(free_port); admin=$(free_port)
  cat > "$WORK/kratos-$db.yml" <<YML
dsn: "$dsn"
serve:
  public: { port: $pub }
  admin: { port: $admin }
log: { level: warning }
YML
  local t0; t0=$(date +%s.%N)
  (cd "$WORK" && exec $SRV "$WORK/warden/Warden.Server" serve -c "$WORK/kratos-$db.yml" --migrate >"$WORK/warden-$db.log" 2>&1) &
  CURRENT_PID=$!; PIDS+=("$CURRENT_PID")
  wait_ready "http://127.0.0.1:$pub/health/ready"
  COLD_START=$(echo "$(date +%s.%N) - $t0" | bc -l 2>/dev/null || python3 -c "print($(date +%s.%N) - $t0)")
  PUB="http://127.0.0.1:$pub"; ADMIN="http://127.0.0.1:$admin"
  sleep 1; IDLE_RSS=$(rss_mb "$CURRENT_PID")
}

FOOT=()
for db in sqlite postgres; do
  if [ "$db" = sqlite ]; then dsn="sqlite://$WORK/bench.db?_fk=true"; else dsn="$PG_DSN"; fi
  echo "== $db"
  start_warden "$db" "$dsn"
  FOOT+=("| $db | $(printf '%.2f' "$COLD_START") | $IDLE_RSS |")
  echo "  seeding $IDENTITIES identities"
  per_thread=$(( (IDENTITIES + 7) / 8 ))
  $LOAD wrk -t8 -c8 -d3600s -s bench/lua/seed.lua "$ADMIN" -- "$per_thread" >/dev/null
  python3 - "$ADMIN" "$WORK/ids-$db.txt" <<'PY'
import json, sys, urllib.request
admin, out = sys.argv[1], sys.argv[2]
with urllib.request.urlopen(f"{admin}/admin/identities?page_size=1000") as r:
    ids = [i["id"] for i in json.load(r)]
open(out, "w").write("\n".join(ids) + "\n")
PY
  measure "getIdentity ($db, $IDENTITIES identities)" "$ADMIN" bench/lua/ids.lua "$WORK/ids-$db.txt"
  measure "listIdentities page_size=250 ($db)" "$ADMIN/admin/identities?page_size=250" "$WORK/get.lua"
  kill "$CURRENT_PID"; wait "$CURRENT_PID" 2>/dev/null || true
done

echo "== peer: bare ASP.NET Core endpoint"
python3 - "$ADMIN" > "$WORK/bare/payload.json" <<'PY' || echo '{}' > "$WORK/bare/payload.json"
import sys
print('{"id":"00000000-0000-4000-8000-000000000000","schema_id":"default","schema_url":"http://127.0.0.1:4433/schemas/ZGVmYXVsdA","state":"active","traits":{"email":"bench-1-1@example.org"},"verifiable_addresses":[],"recovery_addresses":[],"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}')
PY
bare_port=$(free_port)
(cd "$WORK/bare" && exec $SRV "$WORK/bare/Bare" --urls "http://127.0.0.1:$bare_port" >/dev/null 2>&1) &
CURRENT_PID=$!; PIDS+=("$CURRENT_PID")
wait_ready "http://127.0.0.1:$bare_port/health/ready"
measure "bare endpoint, identity-sized JSON from memory (framework ceiling)" "http://127.0.0.1:$bare_port/payload" "$WORK/get.lua"

CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
MEM=$(free -g | awk '/Mem:/ {print $2}')
{
  echo "# Benchmarks"
  echo
  echo "Written by \`bench/run.sh\` on $(date -u +%Y-%m-%d) — re-run it to refresh. Every row below was measured in the same run."
  echo
  echo "## Machine and parameters"
  echo
  echo "- CPU: $CPU, $CORES cores; memory ${MEM} GiB; $(uname -sr)"
  echo "- .NET $(dotnet --version), Release build; PostgreSQL $(pg_as "$(pg_bin)/postgres" --version | awk '{print $3}') (fsync off, on the same machine); SQLite in WAL mode"
  echo "- Load: wrk, 1 thread, $CONNECTIONS connections, $DURATION per measurement; $PINNED"
  echo "- Data: $IDENTITIES identities (e-mail trait, no credentials), created through the admin API before measuring"
  echo
  echo "## Throughput and latency"
  echo
  echo "| endpoint | req/s | p50 ms | p99 ms | errors | server RSS MB |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "## Footprint"
  echo
  echo "| database | cold start to ready (s, migrations included) | idle RSS MB |"
  echo "| --- | ---: | ---: |"
  printf '%s\n' "${FOOT[@]}"
} > "$OUT"
echo "== wrote $OUT"
