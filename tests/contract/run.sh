#!/usr/bin/env bash
# The API contract, checked from outside: starts usher (embedded store and backends) on a free
# loopback port, registers a buyer, and runs schemathesis (pinned in requirements.txt, installed
# into target/contract-venv on first use) against its /openapi.json with every check, every
# phase (examples, coverage, fuzzing, stateful), as configured in schemathesis.toml, then the
# stateful phase once more on the queue's operations alone (see below). Fails if either run
# fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=tests/contract
venv=${USHER_CONTRACT_VENV:-target/contract-venv}

if ! "$venv/bin/st" --version >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
fi
cargo build --locked --quiet --bin usher

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
admin_token="contract-admin-token-$RANDOM$RANDOM"
log=$(mktemp)
# Limits high enough that schemathesis's own request rate is not what it measures (the
# limits have tests of their own); auto-created events so that a generated event id has a
# queue, and a fast admission rate so that joins are admitted while the links are followed.
SERVER_PORT=$port USHER_BIND=127.0.0.1 USHER_ADMIN_TOKEN=$admin_token \
  RATE_LIMIT_RPS=100000 RATE_LIMIT_BURST=100000 \
  USHER_AUTH_RATE_PER_MIN=100000 USHER_AUTH_BURST=10000 \
  USHER_REGISTRATIONS_PER_IP_PER_HOUR=100000 USHER_CONNECTION_RATE_PER_IP=100000 \
  USHER_WS_UPGRADE_RATE_PER_IP=100000 \
  USHER_AUTO_CREATE_EVENTS=true USHER_QUEUE_RATE=1000 USHER_QUEUE_BURST=1000 \
  LOG_LEVEL=warn target/debug/usher serve >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -f "$log"' EXIT

for _ in $(seq 1 100); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done

user_token=$(curl -fsS -X POST "$base/api/v1/auth/register" \
  -H 'Content-Type: application/json' \
  -H "Idempotency-Key: $(python3 -c 'import uuid; print(uuid.uuid4())')" \
  -d "{\"username\":\"contract$RANDOM$RANDOM\",\"password\":\"contract-password\"}" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')

st() {
  USHER_CONTRACT_USER_TOKEN=$user_token USHER_CONTRACT_ADMIN_TOKEN=$admin_token \
    "$venv/bin/st" --config-file "$here/schemathesis.toml" run "$base/openapi.json" \
    --url "$base" "$@"
}
status=0
st "$@" || status=$?
# The queue's links on their own. schemathesis starts stateful scenarios only at operations
# it expects to succeed with generated data, and it takes join's `user_id` (the seed's field,
# which binds nothing) for a reference to users that no operation creates, so with every
# operation selected no scenario starts at join; among join, status and leave it does, and
# the links join → status and join → leave are followed with real waiting tokens. (With enter
# selected too, schemathesis starts at enter instead, with tokens of its own.)
st --phases stateful --include-operation-id join --include-operation-id status \
  --include-operation-id leave "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- usher's log ---" >&2
  tail -n 50 "$log" >&2
fi
exit "$status"
