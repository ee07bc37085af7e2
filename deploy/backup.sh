#!/usr/bin/env bash
# A PostgreSQL backup of rencai: a custom-format pg_dump of $DATABASE_URL, with the data fingerprint taken at the
# same moment beside it (run from cron or a systemd timer; see docs/deployment.md).
#   usage: deploy/backup.sh [DIR]      DIR defaults to $RENCAI_VAR_DIR/backups; keeps the newest $RENCAI_BACKUP_KEEP (30)
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
RENCAI=${RENCAI:-rencai}
dir=${1:-${RENCAI_VAR_DIR:-/var/lib/rencai}/backups}
keep=${RENCAI_BACKUP_KEEP:-30}
mkdir -p "$dir"
chmod 700 "$dir"
stamp=$(date +%Y%m%d-%H%M%S)
umask 077
"$RENCAI" data_fingerprint > "$dir/rencai-$stamp.fingerprint.json"
pg_dump --format=custom --no-owner --file="$dir/rencai-$stamp.dump" "$DATABASE_URL"
echo "$dir/rencai-$stamp.dump"
ls -1t "$dir"/rencai-*.dump | tail -n +$((keep + 1)) | while read -r old; do
  rm -f "$old" "${old%.dump}.fingerprint.json"
done
