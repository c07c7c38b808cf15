#!/usr/bin/env bash
# make bench: every figure, one line each, then which goals were missed. Runs on SQLite and, when
# reachable, on the local PostgreSQL (scratch databases, dropped at the end).
set -u
cd "$(dirname "$0")/../.."
py=.venv/bin/python
pg_admin=${PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
missed=()
run() { "$@" || missed+=("$(basename "$2")${3:+ $3 $4}"); }

run $py scripts/bench/run.py --national
scratch=$(mktemp -d)
run $py scripts/bench/checkin.py --database-url "sqlite:///$scratch/checkin.db" --label sqlite
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  psql "$pg_admin" -qc "DROP DATABASE IF EXISTS trainer_bench_checkin" -qc "CREATE DATABASE trainer_bench_checkin"
  run $py scripts/bench/checkin.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/trainer_bench_checkin \
    --label postgresql
  psql "$pg_admin" -qc "DROP DATABASE IF EXISTS trainer_bench_checkin WITH (FORCE)"
fi
rm -rf "$scratch"
run $py scripts/bench/certificates.py
run $py scripts/bench/small_figures.py
echo
if ((${#missed[@]})); then
  echo "bench summary: goals missed by: ${missed[*]}"
  exit 1
fi
echo "bench summary: every figure met its goal"
