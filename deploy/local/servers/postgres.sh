# PostgreSQL from Debian's packages: the store under FerretDB's PostgreSQL backend (servers/ferretdb_pg.sh),
# measured side by side with SQLite (bench/store_access.py). Not in the default set: the tests use SQLite.
# shellcheck shell=bash

POSTGRES_PORT=${BINOME_POSTGRES_PORT:-15432}
POSTGRES_STATE=$STATE/postgres
POSTGRES_DATA=$POSTGRES_STATE/data
POSTGRES_SOCKETS=$POSTGRES_STATE/sockets
POSTGRES_USER_NAME=binome
# The newest server Debian installed (postgresql depends on postgresql-<major>).
POSTGRES_BIN=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/postgres' 2>/dev/null | sort -V | tail -n 1)
POSTGRES_BIN=${POSTGRES_BIN%/postgres}

DESCRIPTION[postgres]="PostgreSQL (Debian's package) on 127.0.0.1:$POSTGRES_PORT"
PIDFILE[postgres]=$POSTGRES_STATE/postgres.pid
LOGFILE[postgres]=$LOGS/postgres.log
MARKER[postgres]="-D $POSTGRES_DATA"
TIMEOUT[postgres]=${BINOME_POSTGRES_TIMEOUT:-60}
PORTS[postgres]=$POSTGRES_PORT
STATEDIR[postgres]=$POSTGRES_STATE

postgres_settings() {
  check_port_setting BINOME_POSTGRES_PORT "$POSTGRES_PORT"
  check_seconds_setting BINOME_POSTGRES_TIMEOUT "${TIMEOUT[postgres]}"
}

postgres_fetched() {
  [[ -n $POSTGRES_BIN && -x $POSTGRES_BIN/postgres && -x $POSTGRES_BIN/initdb ]]
}

postgres_fetch() {
  ((EUID == 0)) || die "PostgreSQL is not installed, and installing Debian's package needs root." \
    "as root: apt-get install --no-install-recommends postgresql"
  say "postgres: installing Debian's postgresql package with apt-get"
  local fetch_log=$LOGS/fetch-postgres.log
  mkdir -p "$LOGS"
  # policy-rc.d exit 101: the package must not start its own cluster on 5432 as it installs.
  if ! { printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d &&
    { DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql ||
      { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; }; }; } \
    >"$fetch_log" 2>&1; then
    rm -f /usr/sbin/policy-rc.d
    die "apt-get could not install postgresql." "full output: $fetch_log" "$(show_tail "$fetch_log" 2>&1)"
  fi
  rm -f /usr/sbin/policy-rc.d
  POSTGRES_BIN=$(find /usr/lib/postgresql -maxdepth 3 -path '*/bin/postgres' | sort -V | tail -n 1)
  POSTGRES_BIN=${POSTGRES_BIN%/postgres}
}

# PostgreSQL refuses to run as root: as root, it runs as the package's `postgres` user.
postgres_as_owner() {
  if ((EUID == 0)); then
    setpriv --reuid=postgres --regid=postgres --clear-groups -- "$@"
  else
    "$@"
  fi
}

postgres_launch() {
  mkdir -p "$POSTGRES_DATA" "$POSTGRES_SOCKETS" "$LOGS"
  ((EUID == 0)) && chown postgres:postgres "$POSTGRES_DATA" "$POSTGRES_SOCKETS" && chmod 700 "$POSTGRES_DATA"
  if [[ ! -f $POSTGRES_DATA/PG_VERSION ]]; then
    postgres_as_owner "$POSTGRES_BIN/initdb" -D "$POSTGRES_DATA" -U "$POSTGRES_USER_NAME" --auth=trust -E UTF8 \
      >>"${LOGFILE[postgres]}" 2>&1 || die "initdb failed" "$(show_tail "${LOGFILE[postgres]}" 2>&1)"
  fi
  # plan_cache_mode: FerretDB passes field names as bind parameters (`_jsonb->$1`); only a plan made
  # with the values can match an index on `_jsonb->'_id'`.
  local owner=()
  ((EUID == 0)) && owner=(setpriv --reuid=postgres --regid=postgres --clear-groups --)
  launch postgres "${owner[@]}" "$POSTGRES_BIN/postgres" -D "$POSTGRES_DATA" -p "$POSTGRES_PORT" \
    -k "$POSTGRES_SOCKETS" -c listen_addresses=127.0.0.1 -c plan_cache_mode=force_custom_plan \
    -c synchronous_commit=off -c shared_buffers=256MB
}

postgres_ready() {
  port_open "$POSTGRES_PORT"
}

postgres_check() {
  local deadline=$((SECONDS + $1))
  until "$POSTGRES_BIN/pg_isready" -q -h 127.0.0.1 -p "$POSTGRES_PORT" -U "$POSTGRES_USER_NAME"; do
    ((SECONDS < deadline)) || { PY_CHECK_OUTPUT="pg_isready: not accepting connections"; return 1; }
    sleep 0.2
  done
}

postgres_url() {
  printf 'postgres://%s@127.0.0.1:%s/%s' "$POSTGRES_USER_NAME" "$POSTGRES_PORT" "${1:-postgres}"
}

postgres_env() {
  printf 'export POSTGRES_URL=%s\n' "$(postgres_url)"
}
