#!/usr/bin/env bash
# Starts a Warden (Release build, fresh SQLite, --dev) on free loopback ports and runs the @ory/client suite
# against it. Prints node's own "# pass N" / "# fail N" summary.
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
WORK=${WORK:-$ROOT/.test-work}/compat
mkdir -p "$WORK"
[ -d node_modules/@ory/client ] || npm ci --no-audit --no-fund >/dev/null 2>&1 || npm install --no-audit --no-fund >/dev/null
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
PUB=$(port); ADM=$(port)
cat > "$WORK/kratos.yml" <<YML
dsn: sqlite://$WORK/compat.db?_fk=true
serve:
  public: { port: $PUB, base_url: "http://127.0.0.1:$PUB/" }
  admin: { port: $ADM }
selfservice:
  default_browser_return_url: http://127.0.0.1:$PUB/
  allowed_return_urls: [ "http://127.0.0.1:$PUB/" ]
  methods:
    link: { enabled: true }
  flows:
    verification: { enabled: true }
    recovery: { enabled: true }
    registration:
      after:
        password:
          hooks: [ { hook: session } ]
secrets:
  cookie: [ "compat-suite-cookie-secret-0123456789" ]
log: { level: warning }
YML
# Build slots (see Directory.Build.props) put outputs outside the tree; follow them.
if [ -n "${WARDEN_BUILD_SLOT:-}" ]; then BIN="/tmp/warden-build/$WARDEN_BUILD_SLOT/Warden.Server/bin/Release/net10.0/Warden.Server"
else BIN="$ROOT/src/Warden.Server/bin/Release/net10.0/Warden.Server"; fi
[ -n "${WARDEN_COMPAT_NO_BUILD:-}" ] || dotnet build "$ROOT/src/Warden.Server" -c Release -v quiet -nologo >/dev/null || { echo "build failed"; exit 1; }
"$BIN" serve -c "$WORK/kratos.yml" --dev > "$WORK/warden.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$PUB/health/ready" >/dev/null && break; sleep 0.1; done
WARDEN_COMPAT_DB="$WORK/compat.db" WARDEN_PUBLIC_URL="http://127.0.0.1:$PUB" WARDEN_ADMIN_URL="http://127.0.0.1:$ADM" node --test --test-reporter=tap ./*.test.mjs
