#!/usr/bin/env bash
# schemathesis against the live server on loopback, with API tokens of three roles: 0 server errors and 0
# schema violations, bounded (a few examples per operation, a hard time limit) so CI stays under 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-.venv/bin}
EXAMPLES=${RENCAI_ST_EXAMPLES:-15}
PORT=${RENCAI_ST_PORT:-8765}
work=$(mktemp -d)
export DJANGO_SETTINGS_MODULE=rencai.config.settings.dev RENCAI_VAR_DIR="$work" PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
unset DATABASE_URL
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

"$BIN/rencai" migrate --no-input >/dev/null
"$BIN/python" tests/security/schemathesis_seed.py >"$work/tokens"
"$BIN/rencai" runserver "127.0.0.1:$PORT" --noreload >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/login/" && break; sleep 0.2; done

status=0
while IFS== read -r role key; do
  echo "schemathesis as $role"
  # examples + fuzzing within a time budget per role (the coverage phase alone outlasts a shared CI machine);
  # the outer timeout only guards a hung server.
  timeout 150 "$BIN/st" run "http://127.0.0.1:$PORT/api/v1/schema/?format=json" \
    --header "Authorization: Token $key" --max-examples "$EXAMPLES" --seed 12 \
    --phases examples,fuzzing --max-time "${RENCAI_ST_SECONDS:-45}" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance \
    --request-timeout 10 --no-color || status=1
done <"$work/tokens"
if grep -q '" 50[0-9] ' "$work/server.log"; then echo "server errors in the log:"; grep '" 50[0-9] ' "$work/server.log"; status=1; fi
exit $status
