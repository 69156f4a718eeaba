# Sourced by test.sh and bench/run.sh: a throwaway PostgreSQL cluster on 127.0.0.1.
# pg_start DIR  -> exports PG_DSN (postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable)
# pg_stop DIR
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

pg_start() {
  local dir=$1 bin port
  bin=$(pg_bin)
  port=$(free_port)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir" "$(dirname "$dir")"
  pg_as "$bin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null || return 1
  pg_as "$bin/pg_ctl" -D "$dir" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { cat "$dir/log"; return 1; }
  export PG_DSN="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
  export PG_PORT=$port
}

pg_stop() { pg_as "$(pg_bin)/pg_ctl" -D "$1" -m immediate stop >/dev/null 2>&1 || true; }

# apt_need PKG... : installs the Debian packages that are missing (root or sudo).
apt_need() {
  local missing=() p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]}"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq >/dev/null 2>&1
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
