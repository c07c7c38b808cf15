#!/usr/bin/env bash
# Make sure the local PostgreSQL runs and holds an empty-able test database.
# Usage: ensure_postgres.sh ADMIN_URL TEST_DB
set -euo pipefail
admin_url=$1
test_db=$2
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if ! ls /etc/postgresql >/dev/null 2>&1; then
    echo "Installing PostgreSQL (Debian's package)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
psql "$admin_url" -tAc "SELECT 1 FROM pg_database WHERE datname = '$test_db'" | grep -q 1 \
  || psql "$admin_url" -qc "CREATE DATABASE $test_db ENCODING 'UTF8' TEMPLATE template0"
