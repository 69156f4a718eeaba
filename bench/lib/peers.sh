# Sourced by bench/run.sh: the framework ceiling and ASP.NET Core Identity.

bench_bare() {
  echo "== peer: bare ASP.NET Core endpoint (framework ceiling)"
  # The same bytes a seeded whoami returns, served from memory.
  cp "$WORK/whoami-${DBS%% *}.json" "$WORK/bare/payload.json"
  local port t0; port=$(free_port); t0=$(now_ns)
  (cd "$WORK/bare" && exec $SRV ./Bare --urls "http://127.0.0.1:$port") >"$WORK/bare.log" 2>&1 &
  local pid=$!; track "$pid"
  wait_ready "http://127.0.0.1:$port/health/ready" "$pid"
  local cold; cold=$(echo "($(now_ns) - $t0) / 1000000000" | bc -l); printf -v cold '%.3f' "$cold"
  sleep 2; local idle; idle=$(rss_mb "$pid")
  echo 'function request() return wrk.format("GET") end' > "$WORK/get.lua"
  wrk_measure whoami bare "bare endpoint, $(wc -c < "$WORK/bare/payload.json")-byte session JSON from memory" "$pid" "http://127.0.0.1:$port/payload" "$WORK/get.lua" "" ""
  record footprint bare-idle "bare endpoint (no database)" "$cold" 0 0 0 "$idle" ""
  stop_pid "$pid"
}

bench_identity() {
  echo "== peer: ASP.NET Core Identity (MapIdentityApi, EF Core + Npgsql, same PostgreSQL)"
  "$PSQL" -q "$PG_BASE/postgres" -c "CREATE DATABASE identity"
  local port t0 pid base; port=$(free_port); base="http://127.0.0.1:$port"
  t0=$(now_ns)
  (cd "$WORK/identity" && exec $SRV ./AspNetIdentity --urls "$base" --Pg "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=identity") >"$WORK/identity.log" 2>&1 &
  pid=$!; track "$pid"
  wait_ready "$base/health/ready" "$pid" || { tail -20 "$WORK/identity.log"; exit 1; }
  local cold; cold=$(echo "($(now_ns) - $t0) / 1000000000" | bc -l); printf -v cold '%.3f' "$cold"
  sleep 2; record footprint identity "ASP.NET Core Identity on postgres" "$cold" 0 0 0 "$(rss_mb "$pid")" ""
  echo "  seeding $IDENTITIES users"
  curl -sf -X POST "$base/bench/seed?count=$IDENTITIES" >/dev/null
  local tokens=$(( SESSIONS < 5000 ? SESSIONS : 5000 ))
  echo "  minting $tokens bearer tokens"
  python3 - "$base" "$tokens" "$IDENTITIES" > "$WORK/identity-tokens.txt" <<'PY'
import json, random, sys, urllib.request
base, n, users = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in random.sample(range(1, users + 1), n):
    req = urllib.request.Request(f"{base}/bench/token?email=bench-{i}@example.org", method="POST")
    with urllib.request.urlopen(req) as r:
        print(json.load(r)["accessToken"])
PY
  seq 1 32 | sed 's/.*/bench-&@example.org/' > "$WORK/identity-users.txt"
  curl -sf -H "Authorization: Bearer $(head -1 "$WORK/identity-tokens.txt")" "$base/manage/info" >/dev/null || { echo "identity token refused"; exit 1; }
  wrk_measure whoami identity-info "Identity GET /manage/info, bearer token (postgres)" "$pid" "$base/manage/info" bench/lua/header.lua "" "" \
    "$WORK/identity-tokens.txt" Authorization "Bearer "
  wrk_half whoami identity-info-half "Identity GET /manage/info, half of max throughput (postgres)" "$pid" "$base/manage/info" bench/lua/header.lua \
    "$WORK/identity-tokens.txt" Authorization "Bearer "
  floored_flows identity login identity-login "Identity POST /login, PBKDF2-SHA512 100k (postgres)" "$pid" identity "$base" login "$WORK/identity-users.txt"
  floored_flows identity registration identity-registration "Identity POST /register, PBKDF2-SHA512 100k (postgres)" "$pid" identity "$base" registration
  stop_pid "$pid"
}
