#!/usr/bin/env bash
# Warden benchmarks: builds Release, starts everything on 127.0.0.1, measures Warden next to its limits and
# peers in one run, and writes docs/benchmarks.md plus docs/benchmarks.png. Numbers come from this script
# only, never from timed unit tests.
#
#   bench/run.sh [options]
#     --duration 10s          length of every measurement (wrk syntax)
#     --identities 100000     identities seeded for whoami/admin reads (--large: 1000000)
#     --sessions 100000       sessions seeded (one per identity, at most --identities)
#     --connections 32        wrk connections for reads
#     --login-connections 4   concurrent logins/registrations (Warden queues 16 per core beyond the running ones)
#     --warmup-cycles 2       before each login/registration run: at least this many rounds of 6 s load (at
#                             least 40 operations) + 6 s idle; for Warden more (up to 6) while a round still
#                             made its JIT compile for over 100 ms
#     --floor-segments 4      each login/registration run in this many parts, the hash floor measured between
#                             them as well as before and after (the ratio uses the mean of all of them)
#     --db both|sqlite|postgres
#     --hashers "bcrypt argon2 pbkdf2"
#     --out docs/benchmarks.md   (the chart goes next to it, same name .png)
#     --note "text"           printed at the top of the report (e.g. "smoke run under background load")
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK="$ROOT/bench/.work"
OUT="$ROOT/docs/benchmarks.md"
IDENTITIES=100000; SESSIONS=""; DURATION=10s; CONNECTIONS=32; LOGIN_CONNECTIONS=4; WARMUP_CYCLES=2; FLOOR_SEGMENTS=4
DBS="sqlite postgres"; HASHERS="bcrypt argon2 pbkdf2"; NOTE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --large) IDENTITIES=1000000 ;;
    --identities) IDENTITIES=$2; shift ;;
    --sessions) SESSIONS=$2; shift ;;
    --duration) DURATION=$2; shift ;;
    --connections) CONNECTIONS=$2; shift ;;
    --login-connections) LOGIN_CONNECTIONS=$2; shift ;;
    --warmup-cycles) WARMUP_CYCLES=$2; shift ;;
    --floor-segments) FLOOR_SEGMENTS=$2; shift ;;
    --db) case "$2" in both) DBS="sqlite postgres" ;; sqlite|postgres) DBS=$2 ;; *) echo "--db both|sqlite|postgres"; exit 2 ;; esac; shift ;;
    --hashers) HASHERS=$2; shift ;;
    --out) OUT=$(realpath -m "$2"); shift ;;
    --note) NOTE=$2; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)"; exit 2 ;;
  esac
  shift
done
SESSIONS=${SESSIONS:-$IDENTITIES}; [ "$SESSIONS" -gt "$IDENTITIES" ] && SESSIONS=$IDENTITIES
. "$ROOT/scripts/pg.sh"
. "$ROOT/bench/lib/common.sh"
apt_need wrk postgresql libargon2-1 gnuplot-nox bc curl
rm -rf "$WORK"; mkdir -p "$WORK"
RESULTS="$WORK/results.tsv"; : > "$RESULTS"
STARTED=$(date +%s); LOAD_AT_START=$(cut -d' ' -f1-3 /proc/loadavg)

# Server (and its PostgreSQL) on core 0, load generators on core 1; with one core nothing is pinned.
CORES=$(nproc)
if [ "$CORES" -ge 2 ] && command -v taskset >/dev/null; then
  SRV="taskset -c 0"; LOAD="taskset -c 1"; PINNED="server and PostgreSQL pinned to core 0, load generator (wrk or warden-bench) to core 1"; SERVER_CORES=1
else SRV=""; LOAD=""; PINNED="not pinned"; SERVER_CORES=$CORES; fi

echo "== building Release (slot bench)"
export WARDEN_BUILD_SLOT=bench DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for p in src/Warden.Server:warden bench/Tool:tool bench/peers/Bare:bare bench/peers/AspNetIdentity:identity; do
  dotnet publish "${p%%:*}" -c Release -o "$WORK/${p##*:}" -v quiet -nologo --disable-build-servers >"$WORK/build-${p##*:}.log" 2>&1 \
    || { tail -30 "$WORK/build-${p##*:}.log"; exit 1; }
done
TOOL="$WORK/tool/warden-bench"
# Builds ran without build servers (--disable-build-servers), so nothing of ours lingers; let the load settle.
sleep 5

pg_start "$WORK/pg"
if [ -n "$SRV" ]; then pin_postgres "$WORK/pg"; fi
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && { kill "$p"; kill -CONT "$p"; } 2>/dev/null || true; done; pg_stop "$WORK/pg"; true; }
trap cleanup EXIT
PSQL="$(pg_bin)/psql"
PG_BASE="postgres://postgres@127.0.0.1:$PG_PORT"

. "$ROOT/bench/lib/warden.sh"
. "$ROOT/bench/lib/peers.sh"

echo "== hash floor (one core, Warden's PasswordHasher)"
for h in $HASHERS; do
  warden_config "$WORK/floor-$h.yml" "sqlite://$WORK/floor.db?_fk=true" 1 2 "$h"
  line=$($SRV "$TOOL" hashfloor --config "$WORK/floor-$h.yml" --name "$h" | grep '^FLOOR')
  echo "  $line"; record floor "$h" "$h" "$(field floor_login_per_s "$line")" "$(field hash_ms "$line")" "$(field verify_ms "$line")" 0 0 "$line"
done
line=$($SRV "$TOOL" hashfloor --identity-pbkdf2 | grep '^FLOOR')
echo "  $line"; record floor identity-pbkdf2 "identity-pbkdf2" "$(field floor_login_per_s "$line")" "$(field hash_ms "$line")" "$(field verify_ms "$line")" 0 0 "$line"

for db in $DBS; do bench_warden "$db"; done
bench_bare
if [[ " $DBS " == *" postgres "* ]]; then bench_identity; fi

echo "== report"
python3 bench/report.py "$RESULTS" "$OUT" \
  --cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $CORES cores" \
  --memory "$(free -g | awk '/Mem:/ {print $2}') GiB" --kernel "$(uname -sr)" --dotnet "$(dotnet --version)" \
  --postgres "$("$(pg_bin)/postgres" --version | awk '{print $3}')" --wrk "$(wrk -v 2>&1 | head -1 | awk '{print $2}')" \
  --pinning "$PINNED" --duration "$DURATION" --connections "$CONNECTIONS" --login-connections "$LOGIN_CONNECTIONS" --warmup-cycles "$WARMUP_CYCLES" --floor-segments "$FLOOR_SEGMENTS" \
  --identities "$IDENTITIES" --sessions "$SESSIONS" --load "$LOAD_AT_START" --load-end "$(cut -d' ' -f1-3 /proc/loadavg)" --server-cores "$SERVER_CORES" \
  --elapsed "$(( $(date +%s) - STARTED ))" --note "$NOTE"
echo "== wrote $OUT and ${OUT%.md}.png in $(( $(date +%s) - STARTED )) s"
