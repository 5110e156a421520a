# FerretDB v1 (MongoDB wire protocol over SQLite), our own main built through the Go module proxy.
# shellcheck shell=bash

MONGO_PORT=${BINOME_MONGO_PORT:-27117}
FERRETDB_LOG_LEVEL=${BINOME_FERRETDB_LOG_LEVEL:-error}
# How often new tables get the index on the _id path FerretDB's SQL uses (ferretdb/id_index.go); 0s: never.
FERRETDB_ID_INDEX_INTERVAL=${BINOME_FERRETDB_ID_INDEX_INTERVAL:-1s}
# Go's collector runs less often (GOGC 2000 instead of 100): FerretDB allocates a lot per command and
# keeps little (2-3 MB live in bench.matching_service), so at 400 it still collected 3 times a second,
# each cycle's marking taking a core's share while requests waited; at 2000, 6x fewer cycles (docs/
# benchmarks.md, "The local servers' pauses"; the CPU per command: "Where FerretDB's CPU goes").
# GOMEMLIMIT keeps the heap bounded whatever the workload.
FERRETDB_GOGC=${BINOME_FERRETDB_GOGC:-2000}
FERRETDB_GOMEMLIMIT=${BINOME_FERRETDB_GOMEMLIMIT:-1GiB}
FERRETDB_VERSION=$(awk '$1 == "github.com/FerretDB/FerretDB" { print $2; exit }
                        $2 == "github.com/FerretDB/FerretDB" { print $3; exit }' "$HERE/ferretdb/go.mod")
FERRETDB_GO_MIN=$(awk '$1 == "go" { print $2; exit }' "$HERE/ferretdb/go.mod")
# Both backends are built in: SQLite serves the tests, PostgreSQL (servers/ferretdb-pg.sh) is measured beside it.
FERRETDB_BUILD_TAGS=
# Keyed by the inputs too: worktrees on different inputs share the cache without rebuilding each other's.
FERRETDB_HOME=$CACHE/ferretdb-$FERRETDB_VERSION-$(inputs_sum "tags=$FERRETDB_BUILD_TAGS" "$HERE"/ferretdb/{go.mod,go.sum,*.go} | cut -c 1-12)
FERRETDB_BIN=$FERRETDB_HOME/ferretdb
FERRETDB_STAMP=$FERRETDB_HOME/inputs.sha256
FERRETDB_STATE=$STATE/ferretdb
FERRETDB_DATA=$FERRETDB_STATE/sqlite

DESCRIPTION[ferretdb]="FerretDB $FERRETDB_VERSION (SQLite) on mongodb://127.0.0.1:$MONGO_PORT/"
PIDFILE[ferretdb]=$FERRETDB_STATE/ferretdb.pid
LOGFILE[ferretdb]=$LOGS/ferretdb.log
MARKER[ferretdb]="-sqlite-dir $FERRETDB_DATA"
TIMEOUT[ferretdb]=${BINOME_MONGO_TIMEOUT:-30}
PORTS[ferretdb]=$MONGO_PORT
STATEDIR[ferretdb]=$FERRETDB_STATE

ferretdb_settings() {
  check_port_setting BINOME_MONGO_PORT "$MONGO_PORT"
  check_seconds_setting BINOME_MONGO_TIMEOUT "${TIMEOUT[ferretdb]}"
  [[ -n $FERRETDB_VERSION ]] || die "could not read the FerretDB version from $HERE/ferretdb/go.mod."
}

ferretdb_inputs_sum() {
  inputs_sum "tags=$FERRETDB_BUILD_TAGS" "$HERE"/ferretdb/{go.mod,go.sum,*.go}
}

ferretdb_fetched() {
  stamp_matches "$FERRETDB_STAMP" "$(ferretdb_inputs_sum)" && [[ -x $FERRETDB_BIN ]]
}

ferretdb_fetch() {
  need_go "FerretDB $FERRETDB_VERSION" "$FERRETDB_GO_MIN"
  local started tmp fetch_log=$LOGS/fetch-ferretdb.log
  started=$(now_ms)
  tmp=$FERRETDB_HOME/ferretdb.partial
  mkdir -p "$FERRETDB_HOME" "$LOGS"
  say "ferretdb $FERRETDB_VERSION: building with go build (the first build also downloads modules from the Go module proxy: about a minute)"
  if ! (cd "$HERE/ferretdb" &&
    go build -mod=readonly -buildvcs=false -trimpath ${FERRETDB_BUILD_TAGS:+-tags "$FERRETDB_BUILD_TAGS"} \
      -ldflags '-s -w' -o "$tmp" .) >"$fetch_log" 2>&1; then
    rm -f "$tmp"
    die "go build of FerretDB $FERRETDB_VERSION failed; if the output shows download errors, the Go module proxy (GOPROXY=$(go env GOPROXY)) is not reachable." \
      "full output: $fetch_log" "$(show_tail "$fetch_log" 2>&1)"
  fi
  mv -f "$tmp" "$FERRETDB_BIN"
  ferretdb_inputs_sum >"$FERRETDB_STAMP"
  say "ferretdb $FERRETDB_VERSION: built $FERRETDB_BIN ($(since "$started"))"
}

ferretdb_launch() {
  mkdir -p "$FERRETDB_DATA" "$LOGS"
  rotate_log "${LOGFILE[ferretdb]}"
  launch ferretdb env GOGC="$FERRETDB_GOGC" GOMEMLIMIT="$FERRETDB_GOMEMLIMIT" "$FERRETDB_BIN" -listen-addr "127.0.0.1:$MONGO_PORT" -sqlite-dir "$FERRETDB_DATA" \
    -log-level "$FERRETDB_LOG_LEVEL" -id-index-interval "$FERRETDB_ID_INDEX_INTERVAL" \
    ${BINOME_FERRETDB_CHECKPOINT_INTERVAL:+-wal-checkpoint-interval "$BINOME_FERRETDB_CHECKPOINT_INTERVAL"} \
    ${BINOME_FERRETDB_CHECKPOINT_WAIT:+-wal-checkpoint-wait "$BINOME_FERRETDB_CHECKPOINT_WAIT"} \
    ${BINOME_FERRETDB_PPROF_ADDR:+-pprof-addr "$BINOME_FERRETDB_PPROF_ADDR"}
}

ferretdb_ready() {
  port_open "$MONGO_PORT"
}

ferretdb_check() {
  py_check mongo_ready.py --url "$(ferretdb_url)" --timeout "$1"
}

ferretdb_url() {
  printf 'mongodb://127.0.0.1:%s/' "$MONGO_PORT"
}

ferretdb_env() {
  printf 'export MONGODB_URL=%s\n' "$(ferretdb_url)"
  # Where the SQLite files are, for the test that reads them raw after an erasure.
  printf 'export BINOME_STORE_FILES=%s\n' "$FERRETDB_DATA"
}

# A running FerretDB keeps its old binary after a rebuild: say so.
ferretdb_running_note() {
  [[ $(readlink "/proc/$1/exe" 2>/dev/null) == *' (deleted)' ]] &&
    say "ferretdb: note: it runs an older build; 'infra.sh stop ferretdb' then 'start' to use the new one"
  return 0
}
