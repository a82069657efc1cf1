#!/usr/bin/env bash
# The whole suite on SQLite, then the database tests again on PostgreSQL when a server answers
# (always in CI). pytest's exit code 5 (no tests collected) counts as a failure.
set -uo pipefail
BIN="${VENV:-.venv}/bin"
PG_URL="${QA_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/postgres}"
export QA_INSTANCE_PATH="${QA_INSTANCE_PATH:-$(mktemp -d)}"
mkdir -p test-artifacts

"$BIN/pytest" "$@"
status=$?
[ $status -eq 0 ] || { echo "SQLite run failed (exit $status)"; exit $status; }

if "$BIN/python" -c "import psycopg,sys; psycopg.connect('${PG_URL/+psycopg/}', connect_timeout=3).close()" 2>/dev/null; then
  QA_TEST_DATABASE_URL="$PG_URL" "$BIN/pytest" -m db "$@"
  status=$?
  [ $status -eq 0 ] || { echo "PostgreSQL run failed (exit $status)"; exit $status; }
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL at $PG_URL does not answer; CI requires it." >&2
  exit 1
else
  echo "PostgreSQL does not answer at $PG_URL: the database tests ran on SQLite only." >&2
fi
