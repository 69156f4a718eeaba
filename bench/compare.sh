#!/usr/bin/env bash
# Compares two builds of Warden on the hash-bound path (logins or registrations), side by side in one run, for
# changes too small for bench/run.sh to tell apart: this machine's speed drifts by 10-20 % over minutes, so two
# full runs of bench/run.sh differ by more than most changes are worth. Both servers run at the same time on the
# server core, each on its own seeded database; short runs alternate A, B, A, B, ... so that drift hits both sides
# alike, and the result is the median of the paired differences.
#
#   bench/compare.sh [options] REV_A REV_B     (git revisions; "." is the working tree)
#     --db sqlite|postgres      (default sqlite)
#     --kind login|registration (default login)
#     --hasher argon2|bcrypt|pbkdf2 (default argon2)
#     --pairs 10                alternating pairs of runs
#     --duration 3s             each run
#     --identities 100000       seeded per server (plans and caches as in bench/run.sh)
#     --env-a "K=V ..." / --env-b "K=V ..."   environment of one side (e.g. a runtime setting; REV may be the same)
#
# Per operation it reports the CPU the server spent beside the hash (Warden's process and the PostgreSQL processes
# working for its database, minus Warden's hash threads) and the hash threads' CPU. CPU time, unlike throughput,
# does not move when the host gives the core to another guest. Nothing is written to docs/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK="$ROOT/bench/.work-compare"
DB=sqlite; KIND=login; HASHER=argon2; PAIRS=10; RUN=3s; IDENTITIES=100000; ENV_A=""; ENV_B=""; REVS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB=$2; shift ;;
    --kind) KIND=$2; shift ;;
    --hasher) HASHER=$2; shift ;;
    --pairs) PAIRS=$2; shift ;;
    --duration) RUN=$2; shift ;;
    --identities) IDENTITIES=$2; shift ;;
    --env-a) ENV_A=$2; shift ;;
    --env-b) ENV_B=$2; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    -*) echo "unknown option $1 (see --help)"; exit 2 ;;
    *) REVS+=("$1") ;;
  esac
  shift
done
[ ${#REVS[@]} = 2 ] || { echo "usage: bench/compare.sh [options] REV_A REV_B (see --help)"; exit 2; }
case "$DB" in sqlite|postgres) ;; *) echo "--db sqlite|postgres"; exit 2 ;; esac
case "$KIND" in login|registration) ;; *) echo "--kind login|registration"; exit 2 ;; esac
. "$ROOT/scripts/pg.sh"
. "$ROOT/bench/lib/common.sh"
. "$ROOT/bench/lib/warden.sh"
apt_need postgresql libargon2-1 bc curl
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then SRV="taskset -c 0"; LOAD="taskset -c 1"; else SRV=""; LOAD=""; fi
LOGIN_CONNECTIONS=4
rm -rf "$WORK"; mkdir -p "$WORK"
git -C "$ROOT" worktree prune   # a worktree of an interrupted run

# Release builds of both revisions: the working tree as it is, anything else from a detached worktree.
build() { # SIDE REV
  local dir=$WORK/$1 src=$ROOT
  if [ "$2" != . ]; then src=$WORK/src-$1; git -C "$ROOT" worktree add -q --detach "$src" "$2"; fi
  for p in src/Warden.Server:warden bench/Tool:tool; do
    WARDEN_BUILD_SLOT=compare-$1 dotnet publish "$src/${p%%:*}" -c Release -o "$dir/${p##*:}" -v quiet -nologo --disable-build-servers >"$WORK/build-$1.log" 2>&1 \
      || { tail -30 "$WORK/build-$1.log"; exit 1; }
  done
  if [ "$2" != . ]; then git -C "$ROOT" worktree remove --force "$src"; fi
  if [ "$2" = . ]; then echo "  $1: the working tree (HEAD $(git -C "$ROOT" rev-parse --short HEAD) plus its changes) ${3:+env: $3}"
  else echo "  $1: $2 ($(git -C "$ROOT" rev-parse --short "$2")) ${3:+env: $3}"; fi
}
echo "== building"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
build a "${REVS[0]}" "$ENV_A"; build b "${REVS[1]}" "$ENV_B"

PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do [ -n "$p" ] && { kill "$p"; kill -CONT "$p"; } 2>/dev/null || true; done
  [ "$DB" = postgres ] && pg_stop "$WORK/pg"; true; }
trap cleanup EXIT
if [ "$DB" = postgres ]; then
  pg_start "$WORK/pg"
  if [ -n "$SRV" ]; then pin_postgres "$WORK/pg"; fi
fi

declare -A PID PORT
start() { # SIDE PUBLIC_PORT ENV
  local d=$WORK/$1 dsn
  if [ "$DB" = postgres ]; then
    "$(pg_bin)/psql" -q "postgres://postgres@127.0.0.1:$PG_PORT/postgres" -c "CREATE DATABASE side_$1"
    dsn="postgres://postgres@127.0.0.1:$PG_PORT/side_$1?sslmode=disable"
  else dsn="sqlite://$d/warden.db?_fk=true"; fi
  warden_config "$d/w.yml" "$dsn" "$2" "$(( $2 + 1 ))" "$HASHER"
  # shellcheck disable=SC2086 # ENV is a list of K=V words
  env $3 $SRV "$d/warden/Warden.Server" serve -c "$d/w.yml" --migrate >"$d/server.log" 2>&1 &
  PID[$1]=$!; PORT[$1]=$2; PIDS+=("$!")
  wait_ready "http://127.0.0.1:$2/health/ready" "${PID[$1]}" || { tail -20 "$d/server.log"; exit 1; }
  $LOAD "$d/tool/warden-bench" users --config "$d/w.yml" --admin "http://127.0.0.1:$(( $2 + 1 ))" --count 32 --prefix login --out "$d/users.txt" >/dev/null
  mkdir -p "$d/seed"
  $LOAD "$d/tool/warden-bench" seed --config "$d/w.yml" --admin "http://127.0.0.1:$(( $2 + 1 ))" --identities "$IDENTITIES" \
    --sessions 1000 --out "$d/seed" >"$d/seed.log" 2>&1 || { tail -5 "$d/seed.log"; exit 1; }
}
echo "== starting both servers, $IDENTITIES identities each ($DB, $HASHER)"
start a "$(free_port)" "$ENV_A"; start b "$(free_port)" "$ENV_B"

# side_cpu_ms SIDE PID: CPU ms so far of one side's server process plus the PostgreSQL processes working for its own
# database (backends and autovacuum workers name it in their title). The cluster's shared processes (WAL writer,
# checkpointer, background writer) are left out: they cannot be told apart by side, and counting them for whichever
# side runs at the moment let work one side caused land on the other (see shared_cpu_ms).
side_cpu_ms() {
  local p pids=""
  for p in $(postgres_pids); do titled "/proc/$p" "side_$1" && pids="$pids $p"; done
  # shellcheck disable=SC2086 # a list of pids
  pids_cpu_ms "$2" $pids
}
# titled /proc/PID WORD: the process title (PostgreSQL rewrites its command line) has WORD as a word of its own.
titled() { [ -r "$1/cmdline" ] && tr '\0' ' ' < "$1/cmdline" 2>/dev/null | grep -qE "(^| )$2( |$)"; }
# shared_cpu_ms: CPU ms so far of the cluster's processes that belong to no side (0 without PostgreSQL).
shared_cpu_ms() {
  local p pids=""
  for p in $(postgres_pids); do { titled "/proc/$p" side_a || titled "/proc/$p" side_b; } || pids="$pids $p"; done
  # shellcheck disable=SC2086 # a list of pids
  pids_cpu_ms $pids
}

# One run against one side; prints "ops_per_s beside_ms hash_ms shared_ms" per operation.
run() { # SIDE DURATION
  local d=$WORK/$1 pid=${PID[$1]} s0 h0 g0 s1 h g1 line n secs
  s0=$(side_cpu_ms "$1" "$pid"); h0=$(hash_cpu_mark "$pid"); g0=$(shared_cpu_ms)
  line=$($LOAD "$d/tool/warden-bench" flows --target warden --base "http://127.0.0.1:${PORT[$1]}" --kind "$KIND" \
    --concurrency "$LOGIN_CONNECTIONS" --duration "$2" --warmup 0s --users "$d/users.txt" | grep '^RESULT' || true)
  s1=$(side_cpu_ms "$1" "$pid"); h=$(hash_cpu_since "$pid" "$h0"); g1=$(shared_cpu_ms)
  n=$(field rps "$line"); secs=$(field seconds "$line")
  echo "$n ${secs:-0} $(( s1 - s0 )) $h $(( g1 - g0 ))" | awk '{ops = $1 * $2; if (ops <= 0) {print "0 0 0 0"; exit}
    printf "%.1f %.3f %.3f %.3f\n", $1, ($3 - $4) / ops, $4 / ops, $5 / ops}'
}
echo "== warming up (alternating rounds of 6 s with idle gaps, then until neither JIT compiles)"
for i in 1 2 3 4; do for s in a b; do run $s 6s >/dev/null; sleep 3; done; done
for s in a b; do wait_jit_quiet "http://127.0.0.1:$(( PORT[$s] + 1 ))"; done

echo "== $PAIRS pairs of $RUN runs ($KIND, 4 concurrent clients): per operation, ms of CPU beside the hash | of the hash"
: > "$WORK/pairs.txt"
# The order within a pair alternates (A B, B A, ...): with A always first, two comparisons of this change read
# -0.235 and +0.149 ms depending on which side it was on.
for i in $(seq 1 "$PAIRS"); do
  if [ $(( i % 2 )) = 1 ]; then ra=$(run a "$RUN"); rb=$(run b "$RUN"); else rb=$(run b "$RUN"); ra=$(run a "$RUN"); fi
  echo "$ra $rb" >> "$WORK/pairs.txt"
  echo "$ra $rb" | awk -v first="$([ $(( i % 2 )) = 1 ] && echo A || echo B)" '{printf "  A %5.1f/s beside %.3f hash %.3f | B %5.1f/s beside %.3f hash %.3f | B-A beside %+.3f (%s first)\n", $1, $2, $3, $5, $6, $7, $6 - $2, first}'
done
python3 - "$WORK/pairs.txt" <<'PY'
import statistics as st, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
# Per row: A ops/s, beside, hash, shared | B ops/s, beside, hash, shared.
rows = [r for r in rows if r[0] > 0 and r[4] > 0]
if not rows: sys.exit("no complete pair")
d = [r[5] - r[1] for r in rows]
h = [r[6] / r[2] for r in rows]
print("== result over %d pairs (medians)" % len(rows))
print("  CPU beside the hash per operation: A %.3f ms, B %.3f ms; B - A %+.3f ms (B lower in %d of %d pairs)" % (
    st.median(r[1] for r in rows), st.median(r[5] for r in rows), st.median(d), sum(x < 0 for x in d), len(d)))
print("  hash CPU per operation: A %.3f ms, B %.3f ms (B / A %.3f)" % (
    st.median(r[2] for r in rows), st.median(r[6] for r in rows), st.median(h)))
print("  PostgreSQL's shared processes (WAL writer, checkpointer; not in the figures above) during the runs: A %.3f ms, B %.3f ms per operation" % (
    st.median(r[3] for r in rows), st.median(r[7] for r in rows)))
print("  throughput: A %.1f/s, B %.1f/s (means)" % (st.mean(r[0] for r in rows), st.mean(r[4] for r in rows)))
PY
