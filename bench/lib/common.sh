# Sourced by bench/run.sh: process control, pinning, wrk/tool measurements and the results file.
# Every measurement appends one tab-separated line to $RESULTS (read by bench/report.py):
#   kind  key  label  rps  p50_ms  p99_ms  errors  peak_rss_mb  extra

PIDS=()
track() { PIDS+=("$1"); }
stop_pid() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

wait_ready() { # URL PID: polls every 10 ms, fails if the process died
  for _ in $(seq 1 3000); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || { echo "process $2 exited before $1 was ready"; return 1; }
    sleep 0.01
  done
  echo "not ready: $1"; return 1
}
# rss_mb PID [DECIMALS]: resident memory in MiB (VmRSS), rounded to DECIMALS places (default 0).
rss_mb() { awk -v d="${2:-0}" '/VmRSS/ {printf "%." d "f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo 0; }
now_ns() { date +%s%N; }

# Peak RSS of PID while a measurement runs: start_rss_watch PID; ...; PEAK=$(stop_rss_watch)
start_rss_watch() {
  echo 0 > "$WORK/peak"
  ( peak=0; while kill -0 "$1" 2>/dev/null; do r=$(rss_mb "$1"); [ "$r" -gt "$peak" ] && peak=$r && echo "$peak" > "$WORK/peak"; sleep 0.2; done ) &
  WATCH_PID=$!
}
stop_rss_watch() { kill "$WATCH_PID" 2>/dev/null || true; wait "$WATCH_PID" 2>/dev/null || true; cat "$WORK/peak"; }

# pin_postgres DIR: the cluster's postmaster and its current children to core 0; backends forked later inherit it.
pin_postgres() {
  local pm p; pm=$(head -1 "$1/postmaster.pid")
  for p in $pm $(ps -o pid= --ppid "$pm"); do taskset -a -p -c 0 "$p" >/dev/null; done
}

field() { sed -nE "s/.*[ ^]$1=([^ ]+).*/\1/p" <<<" $2"; }

record() { # kind key label rps p50 p99 errors rss extra
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$RESULTS"
}

# wrk_measure KIND KEY LABEL PID URL SCRIPT [CONNECTIONS] [PACE] -- script args
wrk_measure() {
  local kind=$1 key=$2 label=$3 pid=$4 url=$5 script=$6 conns=${7:-$CONNECTIONS} pace=${8:-}; shift 8
  cat "$script" > "$WORK/run.lua"
  [ -n "$pace" ] && cat bench/lua/pace.lua >> "$WORK/run.lua"
  cat bench/lua/report.lua >> "$WORK/run.lua"
  start_rss_watch "$pid"
  local line
  line=$($LOAD wrk -t1 -c"$conns" -d"$DURATION" --timeout 5s -s "$WORK/run.lua" "$url" -- "$@" | grep '^RESULT' || true)
  local peak; peak=$(stop_rss_watch)
  [ -n "$line" ] || { echo "  $label: wrk produced no result"; line="RESULT rps=0 p50_ms=0 p99_ms=0 errors=-1"; }
  record "$kind" "$key" "$label" "$(field rps "$line")" "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$(field errors "$line")" "$peak" "connections=$conns"
  echo "  $label: $(field rps "$line") req/s, p50 $(field p50_ms "$line") ms, p99 $(field p99_ms "$line") ms, errors $(field errors "$line"), peak RSS ${peak} MB"
  LAST_RPS=$(field rps "$line"); LAST_P50=$(field p50_ms "$line")
}

# Latency at half of the max throughput just measured (LAST_RPS), with the same credentials.
wrk_half() { # KIND KEY LABEL PID URL SCRIPT -- script args (FILE HEADER PREFIX)
  local kind=$1 key=$2 label=$3 pid=$4 url=$5 script=$6; shift 6
  local target delay
  target=$(echo "$LAST_RPS / 2" | bc -l)
  # Each connection sends one request per (delay + latency); subtract the latency seen at full load (an
  # overestimate at half load, so the achieved rate errs high rather than low; the report prints it).
  delay=$(echo "d = $CONNECTIONS * 1000 / $target - $LAST_P50 / 2; if (d < 0) d = 0; d" | bc -l)
  wrk_measure "$kind" "$key" "$label" "$pid" "$url" "$script" "$CONNECTIONS" pace "$1" "$2" "${3:-}" "$delay"
}

# adjacent_floor KEY CONFIG|identity verify|hash PID: the hash floor measured on the server's core right next to a
# login or registration run. The machine's speed drifts by 10-20 % over minutes, more than the overhead the ratio
# is meant to show, so a floor from the start of the run is not comparable. The server is stopped (SIGSTOP) while
# the floor runs, so work it does after a load (a collection, a checkpoint) cannot slow the floor down.
adjacent_floor() {
  local key=$1 cfg=$2 op=$3 pid=$4 line ms
  kill -STOP "$pid"
  if [ "$cfg" = identity ]; then line=$($SRV "$TOOL" hashfloor --identity-pbkdf2 | grep '^FLOOR')
  else line=$($SRV "$TOOL" hashfloor --config "$cfg" --only "$op" | grep '^FLOOR'); fi
  kill -CONT "$pid"
  ms=$(field "${op}_ms" "$line")
  record floor-adjacent "$key" "$key" "$(echo "1000 / $ms" | bc -l)" "$ms" 0 0 0 "$line"
}

# floored_flows FLOOR_CONFIG|identity, then the arguments of tool_flows: warm-up rounds, then the run with a floor
# before it, after it and between its parts (FLOOR_SEGMENTS, below).
# Warm-up: rounds of 6 s of the same load and 6 s idle. On one core the .NET runtime stretches its tiering delay
# tenfold (100 ms -> 1 s without new first calls), so under continuous load it defers compiling the optimized
# code: after 10 s and after 32 s of argon2 logins the JIT still compiled ~1 s of backlog the moment the load
# stopped. The idle gaps let the promotions (tier 0 -> instrumented -> optimized) happen, as they would in any real
# traffic with pauses; how many rounds that takes is decided below. Runtime settings stay at their defaults.
# Each round also lasts until 40 operations finished: a method is promoted after 30 calls, which 6 s of bcrypt
# (about 4 logins/s) never reached, so bcrypt rows measured the JIT's tier-1 compilation (0.9 s of its thread's
# CPU in a 10 s run) as part of the login.
floored_flows() {
  local floor_cfg=$1; shift
  local op=hash; [ "$1" = login ] && op=verify
  local i warden="" j_round=0 jit=0
  [ "$5" = warden ] && warden=1
  # At least WARMUP_CYCLES rounds; for Warden, more (up to 6) while a round still made the JIT compile for over
  # 100 ms: on one core the runtime can defer tier-1 compilation through several rounds of load (seen: 1.6 s of
  # JIT inside a measured argon2id run after two rounds), and the run is meant to measure logins, not that.
  for i in $(seq 1 6); do
    [ -n "$warden" ] && j_round=$(field ms "$(jit_state "$ADMIN")")
    $LOAD "$TOOL" flows --target "$5" --base "$6" --kind "$7" --concurrency "$LOGIN_CONNECTIONS" --duration 6s --min-ops 40 --warmup 0s \
      ${8:+--users "$8"} >/dev/null || true
    sleep 6
    [ -n "$warden" ] && jit=$(( $(field ms "$(jit_state "$ADMIN")") - j_round ))
    [ "$i" -ge "${WARMUP_CYCLES:-2}" ] && [ "$jit" -le 100 ] && break
  done
  [ -n "$warden" ] && echo "    warm-up: $i rounds (the JIT compiled for $jit ms during and after the last)"
  [ -n "$warden" ] && wait_jit_quiet "$ADMIN"
  adjacent_floor "$2-floor-before" "$floor_cfg" "$op" "$4"
  local h0 s0 j0=0 j1=0; h0=$(hash_cpu_mark "$4"); s0=$(server_cpu_ms "$4")
  [ -n "$warden" ] && j0=$(field ms "$(jit_state "$ADMIN")")
  # The run in FLOOR_SEGMENTS parts with a floor between each two (and the floors before and after): the machine
  # drifts within seconds (seen: a floor of 31.5/s before a 10 s run and 50.9/s after it), and the ratio compares
  # the run with the mean of floors taken all through it rather than at its two ends.
  TOOL_WARMUP=0s TOOL_BETWEEN="bench/lib/floor-between.sh '$2' '$floor_cfg' '$op' '$4'" tool_flows "$@"
  local rps=$LAST_RPS h s1; h=$(hash_cpu_since "$4" "$h0"); s1=$(server_cpu_ms "$4")
  [ -n "$warden" ] && j1=$(field ms "$(jit_state "$ADMIN")")
  if [ $(( j1 - j0 )) -gt 100 ]; then echo "    note: Warden's JIT compiled for $(( j1 - j0 )) ms during this run"; fi
  # The share of the measured window the server's hash threads spent hashing. Unlike the floor it is measured in
  # the same seconds as the run, so the machine's drift cancels out; Warden only (its hashes run on threads named
  # warden-hash), and it counts a hash slowed by the rest of the server as hash time. Recorded raw (hash CPU ms,
  # window seconds); report.py spreads the CPU over the timed and the untimed first operations.
  if [ "$5" = warden ] && [ "$LAST_SECONDS" != 0 ]; then
    record hash-share "$2-hash-share" "$2" "$(echo "$h / ($LAST_SECONDS * 1000)" | bc -l)" "$h" "$LAST_SECONDS" 0 0 "server_cpu_ms=$(( s1 - s0 )) jit_ms=$(( j1 - j0 )) slice_ms=$(hash_slice_ms "$ADMIN")"
  fi
  adjacent_floor "$2-floor-after" "$floor_cfg" "$op" "$4"
  LAST_RPS=$rps
}

# server_cpu_ms PID: CPU time (user + system) so far of the server process (all its threads) plus every process of
# the benchmark's PostgreSQL cluster (its backends do the statements of a login), in ms. Both run on the server's
# core; what the hash threads take of this sum is the hash's share of the work a login costs the server. CPU time
# stops while the host runs other guests, so unlike wall-clock ratios this share does not move with the machine's
# speed or with time taken away from it.
server_cpu_ms() {
  # shellcheck disable=SC2046 # a list of pids
  pids_cpu_ms "$1" $(postgres_pids)
}

# postgres_pids: the benchmark cluster's postmaster and its children (none when no cluster runs under $WORK/pg).
postgres_pids() {
  [ -f "$WORK/pg/postmaster.pid" ] || return 0
  local pm; pm=$(head -1 "$WORK/pg/postmaster.pid")
  echo "$pm $(awk -v pm="$pm" '$4 == pm {print $1}' /proc/[0-9]*/stat 2>/dev/null)"
}

# cpu_ticks STATFILE: user + system CPU ticks of a process or thread (0 once it is gone).
cpu_ticks() { awk '{print $14 + $15}' "$1" 2>/dev/null || echo 0; }

# pids_cpu_ms PID...: CPU time (user + system) so far of these processes together, in ms.
pids_cpu_ms() {
  local p ticks=0
  for p in "$@"; do ticks=$(( ticks + $(cpu_ticks "/proc/$p/stat") )); done
  echo $(( ticks * 1000 / $(getconf CLK_TCK) ))
}

# hash_cpu_mark PID: the CPU ticks so far of each of the process's hash threads, as "tid:ticks ..." (for hash_cpu_since).
hash_cpu_mark() {
  local t marks=""
  for t in /proc/"$1"/task/*; do
    [ "$(cat "$t/comm" 2>/dev/null)" = warden-hash ] && marks="$marks ${t##*/}:$(cpu_ticks "$t/stat")"
  done
  echo "$marks"
}
# hash_cpu_since PID MARK: CPU time (user + system) of the process's hash threads since MARK, in ms (0 for other
# processes). Thread by thread: a hash thread ends after 30 s without work (it did, once, right after the server
# was resumed from a floor measurement), and a sum over the threads alive at each end then went negative. A thread
# that ended since MARK was idle until it did; one that started counts from zero.
hash_cpu_since() {
  local t tid ticks=0 now was
  for t in /proc/"$1"/task/*; do
    [ "$(cat "$t/comm" 2>/dev/null)" = warden-hash ] || continue
    tid=${t##*/}; now=$(cpu_ticks "$t/stat")
    was=$(tr ' ' '\n' <<<"$2" | awk -F: -v tid="$tid" '$1 == tid {print $2}')
    ticks=$(( ticks + now - ${was:-0} ))
  done
  echo $(( ticks * 1000 / $(getconf CLK_TCK) ))
}

# jit_state ADMIN_URL: "methods=N ms=N", what Warden's JIT has compiled so far and the time it took (all threads),
# from /metrics/prometheus. The runtime's compiler thread comes and goes, so /proc cannot account for it.
jit_state() {
  curl -sf "$1/metrics/prometheus" | awk '/^dotnet_jit_methods_total / { m=$2 } /^dotnet_jit_compilation_seconds_total / { s=$2 }
    END { printf "methods=%d ms=%d\n", m, s * 1000 }'
}

# hash_slice_ms ADMIN_URL: the time slice Warden asked the kernel for while hashing (warden.hashing.time_slice), in ms.
hash_slice_ms() {
  curl -sf "$1/metrics/prometheus" | awk '/^warden_hash_time_slice_seconds / { printf "%d", $2 * 1000 + 0.5 }'
}

# wait_jit_quiet ADMIN_URL: after the warm-up rounds, wait (at most 30 s) until Warden's JIT compiled nothing for a
# whole second. Even after two rounds with idle gaps it sometimes still compiled for a second or more inside the
# measured run, which then measured the JIT as part of the login.
wait_jit_quiet() {
  local start=$SECONDS before after
  before=$(jit_state "$1")
  while [ $(( SECONDS - start )) -lt 30 ]; do
    sleep 1; after=$(jit_state "$1")
    [ "$(field methods "$after")" = "$(field methods "$before")" ] && return 0
    before=$after
  done
  echo "    note: Warden was still compiling after 30 s of waiting"
}

# tool_flows KIND KEY LABEL PID target base kind [users]
tool_flows() {
  local kind=$1 key=$2 label=$3 pid=$4 target=$5 base=$6 flow=$7 users=${8:-}
  start_rss_watch "$pid"
  local line
  line=$(RESULTS="$RESULTS" SRV="$SRV" TOOL="$TOOL" $LOAD "$TOOL" flows --target "$target" --base "$base" --kind "$flow" \
    --concurrency "$LOGIN_CONNECTIONS" --duration "$DURATION" ${TOOL_WARMUP:+--warmup "$TOOL_WARMUP"} ${users:+--users "$users"} \
    ${TOOL_BETWEEN:+--segments "$FLOOR_SEGMENTS" --between "$TOOL_BETWEEN"} | grep '^RESULT' || true)
  local peak; peak=$(stop_rss_watch)
  [ -n "$line" ] || line="RESULT rps=0 p50_ms=0 p99_ms=0 errors=-1 outcomes=none"
  record "$kind" "$key" "$label" "$(field rps "$line")" "$(field p50_ms "$line")" "$(field p99_ms "$line")" "$(field errors "$line")" "$peak" "connections=$LOGIN_CONNECTIONS outcomes=$(field outcomes "$line") warmup_requests=$(field warmup_requests "$line")"
  echo "  $label: $(field rps "$line")/s, p50 $(field p50_ms "$line") ms, p99 $(field p99_ms "$line") ms, errors $(field errors "$line") ($(field outcomes "$line")), peak RSS ${peak} MB"
  LAST_RPS=$(field rps "$line")
  LAST_SECONDS=$(field seconds "$line"); LAST_SECONDS=${LAST_SECONDS:-0}
}

# Warden's whoami cache counters, its gen-2 collections and its CPU seconds from its admin /metrics/prometheus, and
# the time, as "hits=N misses=N ... gen2=N cpu_s=N t=SECONDS".
cache_counts() {
  curl -sf "$1/metrics/prometheus" | awk '
    /^warden_session_cache_(hits|misses|not_serving|adds_refused|trimmed|feed_evictions)_total / {
      n=$1; sub("warden_session_cache_","",n); sub("_total","",n); printf "%s=%s ", n, $2 }
    /^dotnet_gc_collections_total\{generation="2"\} / { printf "gen2=%s ", $2 }
    /^process_cpu_seconds_total / { printf "cpu_s=%s ", $2 }'
  echo "t=$(date +%s.%N)"
}

# with_cache_account COMMAND...: runs one whoami measurement and adds Warden's account of it (cache_delta).
with_cache_account() {
  local before; before=$(cache_counts "$ADMIN")
  "$@"
  cache_delta "$before" "$(cache_counts "$ADMIN")"
}

# cache_delta BEFORE AFTER: what the cache did between two cache_counts (plus gen-2 collections and the server's CPU
# per request), appended to the last result row (its extra column) and printed, so a slow whoami row shows whether
# it read the database, collected, or simply got less CPU.
cache_delta() {
  local d="" n v
  for n in hits misses not_serving adds_refused trimmed feed_evictions gen2; do
    v=$(( $(field "$n" "$2") - $(field "$n" "$1") )); d+="cache_$n=$v "
  done
  local cpu reqs; cpu=$(echo "$(field cpu_s "$2") - $(field cpu_s "$1")" | bc -l)
  reqs=$(( $(field hits "$2") - $(field hits "$1") + $(field misses "$2") - $(field misses "$1") + $(field not_serving "$2") - $(field not_serving "$1") ))
  [ "$reqs" -gt 0 ] && d+="cpu_us_per_request=$(printf '%.1f' "$(echo "$cpu * 1000000 / $reqs" | bc -l)") "
  # The share of its core the server used: a row that is slow at the same CPU per request was short of CPU (the
  # host's steal, another process on the core), not slower code.
  d+="core_share=$(printf '%.2f' "$(echo "$cpu / ($(field t "$2") - $(field t "$1"))" | bc -l)") "
  sed -i "\$ s/\$/ ${d% }/" "$RESULTS"
  echo "    cache: ${d% }"
}
