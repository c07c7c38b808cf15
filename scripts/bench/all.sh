#!/usr/bin/env bash
# make bench: every figure, one line each, then which goals were missed. Runs on SQLite and, when
# reachable, on the local PostgreSQL (scratch databases, dropped at the end).
set -u
cd "$(dirname "$0")/../.."
py=.venv/bin/python
pg_admin=${PG_ADMIN_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
missed=()
# run NAME COMMAND...: a figure's script; NAME is listed in the summary when it misses a goal.
run() { local name=$1; shift; "$@" || missed+=("$name"); }

echo "bench started $(date -u '+%Y-%m-%d %H:%M UTC') on $(hostname), $(nproc) cores; load average$(uptime | sed 's/.*load average//')"
run "pages and demo data" $py scripts/bench/run.py --national
scratch=$(mktemp -d)
run "check-in (sqlite)" $py scripts/bench/checkin.py --database-url "sqlite:///$scratch/checkin.db" --label sqlite
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  psql "$pg_admin" -qc "DROP DATABASE IF EXISTS trainer_bench_checkin WITH (FORCE)" 2>/dev/null
  psql "$pg_admin" -qc "CREATE DATABASE trainer_bench_checkin"
  run "check-in (postgresql)" $py scripts/bench/checkin.py \
    --database-url postgresql+psycopg://postgres@127.0.0.1:5432/trainer_bench_checkin --label postgresql
  psql "$pg_admin" -qc "DROP DATABASE IF EXISTS trainer_bench_checkin WITH (FORCE)"
else
  echo "check-in (postgresql): skipped (PostgreSQL not reachable at 127.0.0.1:5432)"
fi
rm -rf "$scratch"
run "certificates" $py scripts/bench/certificates.py
run "check-in page and Excel import" $py scripts/bench/small_figures.py
echo
echo "bench ended $(date -u '+%H:%M UTC'); load average$(uptime | sed 's/.*load average//')"
if ((${#missed[@]})); then
  printf 'bench summary: goals missed by: %s\n' "$(IFS=,; echo "${missed[*]}" | sed 's/,/, /g')"
  exit 1
fi
echo "bench summary: every figure met its goal"
