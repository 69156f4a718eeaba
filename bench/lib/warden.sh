# Sourced by bench/run.sh: Warden's measurements on one database.

# warden_config FILE DSN PUBLIC_PORT ADMIN_PORT HASHER
warden_config() {
  cat > "$1" <<YML
dsn: "$2"
serve:
  public: { port: $3, base_url: "http://127.0.0.1:$3/" }
  admin: { port: $4 }
secrets:
  default: ["warden-bench-secret-0123456789"]
log: { level: warning }
hashers:
  algorithm: $5
  bcrypt: { cost: 12 }
  argon2: { memory: 19MB, iterations: 2, parallelism: 1, salt_length: 16, key_length: 32 }
  pbkdf2: { algorithm: sha512, iterations: 100000 }
selfservice:
  methods:
    password:
      # No calls to an outside breach API from a benchmark.
      config: { haveibeenpwned_enabled: false }
# Long time slices while argon2 hashes, and argon2 hashes in batches (both off by default: they trade the latency
# of other requests and of logins for throughput; README).
warden:
  hashing:
    time_slice: auto
    batch: auto
YML
}

# start_warden NAME CONFIG: sets WARDEN_PID, PUB, ADMIN, COLD_S (exec to first 200 of /health/ready), IDLE_RSS
start_warden() {
  local name=$1 config=$2 t0
  PUB="http://127.0.0.1:$(sed -nE 's/.*public: \{ port: ([0-9]+).*/\1/p' "$config")"
  ADMIN="http://127.0.0.1:$(sed -nE 's/.*admin: \{ port: ([0-9]+).*/\1/p' "$config")"
  t0=$(now_ns)
  $SRV "$WORK/warden/Warden.Server" serve -c "$config" --migrate >"$WORK/warden-$name.log" 2>&1 &
  WARDEN_PID=$!; track "$WARDEN_PID"
  wait_ready "$PUB/health/ready" "$WARDEN_PID" || { tail -20 "$WORK/warden-$name.log"; exit 1; }
  COLD_S=$(echo "($(now_ns) - $t0) / 1000000000" | bc -l)
  sleep 2; IDLE_RSS=$(rss_mb "$WARDEN_PID")
}

bench_warden() {
  local db=$1 dsn
  echo "== Warden on $db"
  if [ "$db" = sqlite ]; then dsn="sqlite://$WORK/warden.db?_fk=true"
  else "$PSQL" -q "$PG_BASE/postgres" -c "CREATE DATABASE warden" && dsn="$PG_BASE/warden?sslmode=disable"; fi
  local cfg="$WORK/warden-$db.yml"
  # One start on this host varies by a factor of two (seen: 0.54 to 1.08 s for the same binary and database), so
  # the footprint is the median of three starts, each on its own empty database; the last one stays up.
  local colds=() rsss=() i cold
  for i in 1 2; do
    local extra_dsn="sqlite://$WORK/warden-cold$i.db?_fk=true"
    if [ "$db" = postgres ]; then "$PSQL" -q "$PG_BASE/postgres" -c "CREATE DATABASE warden_cold$i"; extra_dsn="$PG_BASE/warden_cold$i?sslmode=disable"; fi
    warden_config "$WORK/warden-cold.yml" "$extra_dsn" "$(free_port)" "$(free_port)" bcrypt
    start_warden "$db-cold$i" "$WORK/warden-cold.yml"
    printf -v cold '%.3f' "$COLD_S"; colds+=("$cold"); rsss+=("$IDLE_RSS")
    stop_pid "$WARDEN_PID"
  done
  warden_config "$cfg" "$dsn" "$(free_port)" "$(free_port)" bcrypt
  start_warden "$db" "$cfg"
  printf -v cold '%.3f' "$COLD_S"; colds+=("$cold"); rsss+=("$IDLE_RSS")
  local cold_med rss_med
  cold_med=$(printf '%s\n' "${colds[@]}" | sort -g | sed -n 2p); rss_med=$(printf '%s\n' "${rsss[@]}" | sort -g | sed -n 2p)
  # Two seconds after ready is not where an idle server stays: what still runs periodically (Kestrel's heartbeat,
  # timers, the session feed's vouch and SQLite look) has its methods compiled again, optimized, once it has run 30 times, and the
  # compiler keeps its working memory until a collection. The last start therefore idles on and is read again after
  # IDLE_SETTLE_S seconds; the target is judged on that reading (in MiB, one decimal).
  local settle=${IDLE_SETTLE_S:-60} settled
  sleep "$settle"; settled=$(rss_mb "$WARDEN_PID" 1)
  echo "  cold start (empty database, migrations included): ${cold_med} s (median of ${colds[*]}); idle RSS ${rss_med} MB 2 s after ready (median of ${rsss[*]}), ${settled} MB after ${settle} s idle"
  record footprint "cold-$db" "Warden on $db" "$cold_med" 0 0 0 "$rss_med" "starts=$(IFS=,; echo "${colds[*]}") idle_rss=$(IFS=,; echo "${rsss[*]}") settled_rss=$settled settle_s=$settle"

  echo "  seeding $IDENTITIES identities and $SESSIONS sessions"
  mkdir -p "$WORK/seed-$db"
  $LOAD "$TOOL" seed --config "$cfg" --admin "$ADMIN" --identities "$IDENTITIES" --sessions "$SESSIONS" --out "$WORK/seed-$db" | sed 's/^/  /'
  local token cookie
  token=$(head -1 "$WORK/seed-$db/tokens.txt"); cookie=$(head -1 "$WORK/seed-$db/cookies.txt")
  # Seeded rows must be what Warden reads: a session token and a cookie each give 200 and no refreshed cookie.
  curl -sf -H "X-Session-Token: $token" "$PUB/sessions/whoami" -o "$WORK/whoami-$db.json" || { echo "seeded token refused"; exit 1; }
  curl -sf -D "$WORK/cookie-headers" -H "Cookie: $cookie" "$PUB/sessions/whoami" -o /dev/null || { echo "seeded cookie refused"; exit 1; }
  grep -qi '^set-cookie' "$WORK/cookie-headers" && echo "  note: whoami re-sent the seeded cookie (payload expiry mismatch)"

  # Warden caches whoami answers (warden.session_cache, on by default). The first check of a session reads the
  # database; measure that on its own (the run covers far fewer requests than there are sessions, so every
  # request is a first check), then check every session once so the rows below measure the steady state.
  with_cache_account wrk_measure whoami "whoami-cold-$db" "whoami, session token, first check of each session ($db)" "$WARDEN_PID" "$PUB/sessions/whoami" \
    bench/lua/header.lua "" "" "$WORK/seed-$db/tokens.txt" X-Session-Token
  # wrk's main thread sleeps for the whole -d even after the script stops its thread: size -d from the cold rate.
  local warm_s; warm_s=$(echo "w = $SESSIONS * 1.3 / ($LAST_RPS + 1) + 2; scale=0; w / 1" | bc -l)
  echo "  warming the session cache: one whoami per seeded session (${warm_s} s)"
  $LOAD wrk -t1 -c"$CONNECTIONS" -d"${warm_s}s" --timeout 5s -s bench/lua/once.lua "$PUB/sessions/whoami" -- "$WORK/seed-$db/tokens.txt" X-Session-Token >/dev/null
  with_cache_account wrk_measure whoami "whoami-token-$db" "whoami, session token ($db)" "$WARDEN_PID" "$PUB/sessions/whoami" bench/lua/header.lua "" "" \
    "$WORK/seed-$db/tokens.txt" X-Session-Token
  record footprint "load-$db" "Warden on $db, whoami at full load" 0 0 0 0 "$(tail -1 "$RESULTS" | cut -f8)" ""
  with_cache_account wrk_half whoami "whoami-half-$db" "whoami, session token, half of max throughput ($db)" "$WARDEN_PID" "$PUB/sessions/whoami" bench/lua/header.lua \
    "$WORK/seed-$db/tokens.txt" X-Session-Token ""
  with_cache_account wrk_measure whoami "whoami-cookie-$db" "whoami, cookie ($db)" "$WARDEN_PID" "$PUB/sessions/whoami" bench/lua/header.lua "" "" \
    "$WORK/seed-$db/cookies.txt" Cookie
  wrk_measure admin "get-$db" "getIdentity ($db)" "$WARDEN_PID" "$ADMIN" bench/lua/ids.lua "" "" "$WORK/seed-$db/ids.txt"
  echo 'function request() return wrk.format("GET") end' > "$WORK/get.lua"
  wrk_measure admin "list-$db" "listIdentities, page_size=250 ($db)" "$WARDEN_PID" "$ADMIN/admin/identities?page_size=250" "$WORK/get.lua" "" ""
  stop_pid "$WARDEN_PID"

  local h
  for h in $HASHERS; do
    warden_config "$cfg" "$dsn" "$(free_port)" "$(free_port)" "$h"
    start_warden "$db-$h" "$cfg"
    printf -v cold '%.3f' "$COLD_S"
    record footprint "restart-$db-$h" "Warden on $db ($h), restart with $IDENTITIES identities" "$cold" 0 0 0 "$IDLE_RSS" ""
    $LOAD "$TOOL" users --config "$cfg" --admin "$ADMIN" --count 32 --prefix "login-$h" --out "$WORK/users-$db-$h.txt"
    floored_flows "$cfg" login "login-$h-$db" "login, $h ($db)" "$WARDEN_PID" warden "$PUB" login "$WORK/users-$db-$h.txt"
    local capacity=$LAST_RPS
    floored_flows "$cfg" registration "registration-$h-$db" "registration, $h ($db)" "$WARDEN_PID" warden "$PUB" registration
    if [ "$h" = bcrypt ] && [ "$db" = "${DBS%% *}" ]; then overload "$db" "$capacity" "$WORK/users-$db-$h.txt"; fi
    stop_pid "$WARDEN_PID"
  done
}

# Logins offered at 10x the measured capacity (open loop), then a normal login run to show recovery.
overload() {
  local db=$1 capacity=$2 users=$3 rate line
  rate=$(echo "r = 10 * $capacity; if (r < 10) r = 10; r" | bc -l)
  printf -v rate '%.1f' "$rate"
  echo "  overload: $rate logins/s offered for $DURATION (10x capacity)"
  line=$($LOAD "$TOOL" overload --target warden --base "$PUB" --rate "$rate" --duration "$DURATION" --pid "$WARDEN_PID" --users "$users" | grep '^OVERLOAD')
  echo "  $line"
  record overload "overload-$db" "login at 10x capacity (bcrypt, $db)" "$(field ok "$line")" "$(field p50_ms "$line")" "$(field p99_ms "$line")" \
    "$(field sent "$line")" "$(field rss_peak_mb "$line")" "$line"
  tool_flows recovery "recovery-$db" "login right after the overload (bcrypt, $db)" "$WARDEN_PID" warden "$PUB" login "$users"
}
