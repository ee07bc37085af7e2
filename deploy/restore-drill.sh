#!/usr/bin/env bash
# The restore drill: restore a dump into a scratch database, compare its data fingerprint (row counts, money
# totals: the ledger and the audit log) with the one taken at backup time, then drop the scratch database.
# Exit 0 only when they are identical.
#   usage: deploy/restore-drill.sh DUMP      (DATABASE_URL names the server to restore on; its database is untouched)
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL server}"
dump=${1:?usage: restore-drill.sh DUMP}
expected=${dump%.dump}.fingerprint.json
[ -f "$expected" ] || { echo "no fingerprint beside $dump" >&2; exit 2; }
RENCAI=${RENCAI:-rencai}
base=${DATABASE_URL%/*}
scratch="rencai_restore_drill_$$"
cleanup() { psql -q "$base/postgres" -c "DROP DATABASE IF EXISTS $scratch" >/dev/null 2>&1 || true; }
trap cleanup EXIT
psql -q "$base/postgres" -c "CREATE DATABASE $scratch"
pg_restore --no-owner --exit-on-error --dbname="$base/$scratch" "$dump"
DATABASE_URL="$base/$scratch" "$RENCAI" data_fingerprint > "${dump%.dump}.restored.json"
if diff -u "$expected" "${dump%.dump}.restored.json"; then
  echo "restore drill passed: $(grep -c '"rows"' "$expected") tables, identical row counts and money totals"
else
  echo "restore drill FAILED: the restored data differs (diff above)" >&2
  exit 1
fi
