#!/usr/bin/env bash
# make bench: a 10,000-person organization with 2 years of weekly history in
# PostgreSQL (generated once, then reused), and timings of the key pages.
set -euo pipefail
cd "$(dirname "$0")/.."
bin/postgres-up >/dev/null
cd /
if ! runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'rapport_bench'" | grep -q 1; then
  runuser -u postgres -- createdb -O rapport rapport_bench
fi
cd - >/dev/null
export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://rapport:rapport@127.0.0.1:5432/rapport_bench}
export DEBUG=false
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py demo_load --people "${BENCH_PEOPLE:-10000}" --months "${BENCH_MONTHS:-24}" \
  --org-name "Bench Corp" --if-empty
# BENCH_ONLY_LOAD=1: generate (or keep) the benchmark organization, measure nothing.
if [ "${BENCH_ONLY_LOAD:-}" = 1 ]; then
  exit 0
fi
.venv/bin/python -m bench.measure "$@"
