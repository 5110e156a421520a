# FerretDB v1 on its PostgreSQL backend (plain PostgreSQL, no extension): the same binary as
# servers/ferretdb.sh with -postgresql-url, over servers/postgres.sh. Measured beside SQLite by
# bench/store_access.py; start both with `infra.sh start postgres ferretdb_pg`.
# shellcheck shell=bash

FERRETDB_PG_PORT=${BINOME_FERRETDB_PG_PORT:-27118}
FERRETDB_PG_STATE=$STATE/ferretdb_pg
FERRETDB_PG_DATABASE=ferretdb

DESCRIPTION[ferretdb_pg]="FerretDB $FERRETDB_VERSION (PostgreSQL backend) on mongodb://127.0.0.1:$FERRETDB_PG_PORT/"
PIDFILE[ferretdb_pg]=$FERRETDB_PG_STATE/ferretdb.pid
LOGFILE[ferretdb_pg]=$LOGS/ferretdb_pg.log
MARKER[ferretdb_pg]="-listen-addr 127.0.0.1:$FERRETDB_PG_PORT -postgresql-url"
TIMEOUT[ferretdb_pg]=${BINOME_MONGO_TIMEOUT:-30}
PORTS[ferretdb_pg]=$FERRETDB_PG_PORT
STATEDIR[ferretdb_pg]=$FERRETDB_PG_STATE

ferretdb_pg_settings() {
  check_port_setting BINOME_FERRETDB_PG_PORT "$FERRETDB_PG_PORT"
  postgres_settings
}

ferretdb_pg_fetched() { ferretdb_fetched && postgres_fetched; }

ferretdb_pg_fetch() {
  ferretdb_fetched || ferretdb_fetch
  postgres_fetched || postgres_fetch
}

ferretdb_pg_launch() {
  mkdir -p "$FERRETDB_PG_STATE" "$LOGS"
  rotate_log "${LOGFILE[ferretdb_pg]}"
  # FerretDB needs its database to exist; PostgreSQL was launched just before (infra.sh start order).
  postgres_check "${TIMEOUT[postgres]}" || die "PostgreSQL on port $POSTGRES_PORT is not running: start postgres first."
  "$POSTGRES_BIN/psql" -q -h 127.0.0.1 -p "$POSTGRES_PORT" -U "$POSTGRES_USER_NAME" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$FERRETDB_PG_DATABASE'" | grep -q 1 ||
    "$POSTGRES_BIN/createdb" -h 127.0.0.1 -p "$POSTGRES_PORT" -U "$POSTGRES_USER_NAME" "$FERRETDB_PG_DATABASE"
  # Indexes FerretDB's `@>` filters can use (see the file); on by default, BINOME_FERRETDB_PG_INDEXES=0 for as-shipped.
  if [[ ${BINOME_FERRETDB_PG_INDEXES:-1} == 1 ]]; then
    "$POSTGRES_BIN/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$POSTGRES_PORT" -U "$POSTGRES_USER_NAME" \
      -d "$FERRETDB_PG_DATABASE" -f "$HERE/postgres/ferretdb_indexes.sql" >>"${LOGFILE[ferretdb_pg]}" 2>&1 ||
      die "could not install the index trigger" "$(show_tail "${LOGFILE[ferretdb_pg]}" 2>&1)"
  else
    "$POSTGRES_BIN/psql" -q -h 127.0.0.1 -p "$POSTGRES_PORT" -U "$POSTGRES_USER_NAME" -d "$FERRETDB_PG_DATABASE" \
      -c 'DROP EVENT TRIGGER IF EXISTS binome_containment_indexes' >>"${LOGFILE[ferretdb_pg]}" 2>&1
  fi
  launch ferretdb_pg "$FERRETDB_BIN" -listen-addr "127.0.0.1:$FERRETDB_PG_PORT" \
    -postgresql-url "$(postgres_url "$FERRETDB_PG_DATABASE")" -log-level "$FERRETDB_LOG_LEVEL"
}

ferretdb_pg_ready() {
  port_open "$FERRETDB_PG_PORT"
}

ferretdb_pg_check() {
  py_check mongo_ready.py --url "mongodb://127.0.0.1:$FERRETDB_PG_PORT/" --timeout "$1"
}

ferretdb_pg_env() {
  printf 'export FERRETDB_PG_URL=mongodb://127.0.0.1:%s/\n' "$FERRETDB_PG_PORT"
}
