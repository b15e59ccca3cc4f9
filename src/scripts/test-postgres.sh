# Sourced by src/scripts/test: a local PostgreSQL for the repository tests, from Debian's packages.
# Installs and starts the `postgresql` cluster if needed, creates a role and database for the tests
# and exports SINAPSIS_TEST_DATABASE_URL/_USER/_PASSWORD. Each test class makes its own schema in it.
start_test_postgres() {
  if [ -n "${SINAPSIS_TEST_DATABASE_URL:-}" ]; then
    echo "Repository tests use the PostgreSQL at $SINAPSIS_TEST_DATABASE_URL"
    return 0
  fi
  if ! command -v pg_lsclusters >/dev/null || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
    echo "Installing PostgreSQL from Debian's packages…"
    apt_install postgresql || return 1
  fi
  local version port
  version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
    as_root pg_createcluster "$version" main >/dev/null || return 1
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online" { up = 1 } END { exit !up }'; then
    as_root pg_ctlcluster "$version" main start || return 1
  fi
  port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')"
  as_root runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 <<'SQL' || return 1
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sinapsis_test') THEN
    CREATE ROLE sinapsis_test LOGIN PASSWORD 'sinapsis_test';
  END IF;
END $$;
SQL
  if ! as_root runuser -u postgres -- psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = 'sinapsis_test'" | grep -q 1; then
    as_root runuser -u postgres -- createdb -p "$port" -O sinapsis_test sinapsis_test || return 1
  fi
  export SINAPSIS_TEST_DATABASE_URL="jdbc:postgresql://localhost:$port/sinapsis_test"
  export SINAPSIS_TEST_DATABASE_USER=sinapsis_test
  export SINAPSIS_TEST_DATABASE_PASSWORD=sinapsis_test
  echo "Repository tests also run against PostgreSQL $version on port $port"
}
