# Sourced by .ci/run: a throwaway PostgreSQL cluster for the store tests, on a Unix socket under a temp
# directory (no TCP port at all), removed by the EXIT trap. Exports TP_TEST_POSTGRES_URL.
# Installs Debian's postgresql if it is missing. As root the cluster runs as the `postgres` user, since
# PostgreSQL refuses to run as root.

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && echo "$dir"
}

if [ -z "$(pg_bin)" ]; then
  apt-get update -q
  apt-get install -y -q postgresql
fi
PG_BIN=$(pg_bin)
PG_DIR=$(mktemp -d)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$PG_DIR"
  as_pg=(runuser -u postgres --)
fi

stop_postgres() {
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap stop_postgres EXIT

"${as_pg[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U tp --auth=trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1 \
  || { cat "$PG_DIR/initdb.log" >&2; exit 1; }
# listen_addresses='': the socket only; fsync stays on, since the reliability tests rely on it.
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
  -o "-c listen_addresses='' -k $PG_DIR" start >/dev/null
"${as_pg[@]}" "$PG_BIN/createdb" -h "$PG_DIR" -U tp tp_test
export TP_TEST_POSTGRES_URL="postgresql+psycopg://tp@/tp_test?host=$PG_DIR"
echo "CI: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') at $PG_DIR for the store tests"
