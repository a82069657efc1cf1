#!/usr/bin/env bash
# The whole suite on SQLite, then the database tests again on PostgreSQL when a server answers
# (always in CI). pytest's exit code 5 (no tests collected) counts as a failure.
# Tests run in QA_TEST_WORKERS processes (pytest-xdist; default 2, 0 runs them in this one), a
# test file per process at a time, so module fixtures such as loaded models are made once.
set -uo pipefail
BIN="${VENV:-.venv}/bin"
PG_URL="${QA_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}"
export QA_INSTANCE_PATH="${QA_INSTANCE_PATH:-$(mktemp -d)}"
mkdir -p test-artifacts
PARALLEL=(-n "${QA_TEST_WORKERS:-2}" --dist loadfile)

"$BIN/pytest" "${PARALLEL[@]}" "$@"
status=$?
[ $status -eq 0 ] || { echo "SQLite run failed (exit $status)"; exit $status; }

if "$BIN/python" -c "import psycopg,sys; psycopg.connect('${PG_URL/+psycopg/}', connect_timeout=3).close()" 2>/dev/null; then
  QA_TEST_DATABASE_URL="$PG_URL" "$BIN/pytest" "${PARALLEL[@]}" -m db "$@"
  status=$?
  [ $status -eq 0 ] || { echo "PostgreSQL run failed (exit $status)"; exit $status; }
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL at $PG_URL does not answer; CI requires it." >&2
  exit 1
else
  echo "PostgreSQL does not answer at $PG_URL: the database tests ran on SQLite only." >&2
fi
