#!/usr/bin/env bash
# Real local infrastructure for Binôme, without Docker: Apache Kafka (one KRaft node,
# broker + controller) and FerretDB (MongoDB wire protocol over SQLite), on 127.0.0.1.
#
#   deploy/local/infra.sh fetch|start|status|stop|env|clean|help
#
# See deploy/local/README.md for the variables, ports and folders.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)

KAFKA_PORT=${BINOME_KAFKA_PORT:-19092}
MONGO_PORT=${BINOME_MONGO_PORT:-27117}
CACHE=${BINOME_CACHE:-$HOME/.cache/binome}
STATE=${BINOME_STATE:-$REPO/.local/state}
LOGS=${BINOME_LOGS:-$REPO/.local/logs}
KAFKA_TIMEOUT=${BINOME_KAFKA_TIMEOUT:-90}
MONGO_TIMEOUT=${BINOME_MONGO_TIMEOUT:-30}
STOP_TIMEOUT=${BINOME_STOP_TIMEOUT:-30}
KAFKA_HEAP_OPTS=${BINOME_KAFKA_HEAP_OPTS:--Xms256m -Xmx1g}
FERRETDB_LOG_LEVEL=${BINOME_FERRETDB_LOG_LEVEL:-error}
PYTHON=${BINOME_PYTHON:-$REPO/.venv/bin/python}

# Versions come from the build inputs, so that bumping them there is enough.
KAFKA_VERSION=$(sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$HERE/kafka/pom.xml" | head -n 1)
FERRETDB_VERSION=$(awk '$1 == "github.com/FerretDB/FerretDB" { print $2; exit }
                        $2 == "github.com/FerretDB/FerretDB" { print $3; exit }' "$HERE/ferretdb/go.mod")
GO_MIN_VERSION=$(awk '$1 == "go" { print $2; exit }' "$HERE/ferretdb/go.mod")
# Drops the PostgreSQL handler, which the SQLite-only local setup never uses.
FERRETDB_BUILD_TAGS=ferretdb_no_postgresql

KAFKA_HOME=$CACHE/kafka-$KAFKA_VERSION
KAFKA_LIBS=$KAFKA_HOME/libs
KAFKA_STAMP=$KAFKA_HOME/inputs.sha256
FERRETDB_HOME=$CACHE/ferretdb-$FERRETDB_VERSION
FERRETDB_BIN=$FERRETDB_HOME/ferretdb
FERRETDB_STAMP=$FERRETDB_HOME/inputs.sha256

KAFKA_STATE=$STATE/kafka
KAFKA_DATA=$KAFKA_STATE/data
KAFKA_CONFIG=$KAFKA_STATE/server.properties
KAFKA_PIDFILE=$KAFKA_STATE/kafka.pid
FERRETDB_STATE=$STATE/ferretdb
FERRETDB_DATA=$FERRETDB_STATE/sqlite
FERRETDB_PIDFILE=$FERRETDB_STATE/ferretdb.pid

KAFKA_LOG=$LOGS/kafka.log
FERRETDB_LOG=$LOGS/ferretdb.log
INFRA_LOG=$LOGS/infra.log

KAFKA_READY_LINE='Kafka Server started'
# What `ps` shows for our own processes; tells them apart from a reused pid.
KAFKA_MARKER="kafka.Kafka $KAFKA_CONFIG"
FERRETDB_MARKER="-sqlite-dir $FERRETDB_DATA"

COMMAND=${1:-help}

# --- messages ---------------------------------------------------------------------------

record() {
  mkdir -p "$LOGS"
  printf '%s infra.sh %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$COMMAND" "$*" >>"$INFRA_LOG"
}

say() {
  printf '%s\n' "$*"
  record "$*"
}

# die LINE... : print an error (first line) with details (other lines) and exit 1.
die() {
  record "error: $1"
  printf 'infra.sh: error: %s\n' "$1" >&2
  shift
  local line
  for line in "$@"; do printf '  %s\n' "$line" >&2; done
  exit 1
}

show_tail() {
  local file=$1
  [[ -s $file ]] || return 0
  printf '  --- last lines of %s ---\n' "$file" >&2
  tail -n 25 "$file" | sed 's/^/  | /' >&2
}

now_ms() {
  if [[ -n ${EPOCHREALTIME:-} ]]; then
    local t=${EPOCHREALTIME//[!0-9]/}
    printf '%s' $((t / 1000))
  else
    date +%s%3N
  fi
}

since() {
  local ms=$(($(now_ms) - $1))
  printf '%d.%01ds' $((ms / 1000)) $((ms % 1000 / 100))
}

# --- checks -----------------------------------------------------------------------------

check_settings() {
  local name value
  for name in KAFKA_PORT MONGO_PORT; do
    value=${!name}
    if ! [[ $value =~ ^[0-9]+$ ]] || ((value < 1024 || value > 65534)); then
      die "BINOME_$name=$value is not a port number between 1024 and 65534."
    fi
  done
  for name in KAFKA_TIMEOUT MONGO_TIMEOUT STOP_TIMEOUT; do
    [[ ${!name} =~ ^[0-9]+$ ]] || die "BINOME_$name=${!name} is not a number of seconds."
  done
  local ports=("$KAFKA_PORT" "$((KAFKA_PORT + 1))" "$MONGO_PORT")
  [[ ${ports[2]} != "${ports[0]}" && ${ports[2]} != "${ports[1]}" ]] ||
    die "BINOME_MONGO_PORT=$MONGO_PORT clashes with Kafka's ports $KAFKA_PORT and $((KAFKA_PORT + 1)) (controller)."
  [[ -n $KAFKA_VERSION && -n $FERRETDB_VERSION ]] ||
    die "could not read the Kafka version from $HERE/kafka/pom.xml or the FerretDB version from $HERE/ferretdb/go.mod."
}

need_java() {
  command -v java >/dev/null ||
    die "java not found: Kafka $KAFKA_VERSION needs a Java 17 (or newer) runtime on PATH." \
      "Debian/Ubuntu: apt-get install openjdk-17-jre-headless"
  local major
  major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  if ! [[ $major =~ ^[0-9]+$ ]] || ((major < 17)); then
    die "java on PATH is version '${major:-unknown}'; Kafka $KAFKA_VERSION here expects Java 17 or newer." \
      "$(command -v java)"
  fi
}

need_mvn() {
  command -v mvn >/dev/null ||
    die "mvn not found: fetching Kafka $KAFKA_VERSION from Maven Central needs Apache Maven 3.6.3+ (3.8.7 tested)." \
      "Debian/Ubuntu: apt-get install maven"
}

need_go() {
  command -v go >/dev/null ||
    die "go not found: building FerretDB $FERRETDB_VERSION needs Go $GO_MIN_VERSION or newer (1.26 tested)." \
      "Debian/Ubuntu: apt-get install golang (check its version is recent enough)"
  local have
  have=$(go env GOVERSION 2>/dev/null || true)
  have=${have#go}
  if ! version_at_least "$have" "$GO_MIN_VERSION"; then
    die "go on PATH is version '${have:-unknown}'; FerretDB $FERRETDB_VERSION needs Go $GO_MIN_VERSION or newer."
  fi
}

# version_at_least HAVE WANT: compares the major.minor parts, e.g. 1.26.8 >= 1.24.
version_at_least() {
  local have_major have_minor want_major want_minor
  IFS=. read -r have_major have_minor _ <<<"$1."
  IFS=. read -r want_major want_minor _ <<<"$2."
  have_minor=${have_minor%%[!0-9]*}
  [[ $have_major =~ ^[0-9]+$ && ${have_minor:-0} =~ ^[0-9]+$ ]] || return 1
  ((have_major > want_major || (have_major == want_major && ${have_minor:-0} >= ${want_minor:-0})))
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# port_user PORT: who listens there, as `"java",pid=123`, or nothing.
port_user() {
  command -v ss >/dev/null || return 0
  ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\("[^"]*",pid=[0-9]*\).*/\1/p' | head -n 1
}

port_taken() {
  if command -v ss >/dev/null; then
    [[ -n $(ss -ltnH "sport = :$1" 2>/dev/null) ]]
  else
    port_open "$1"
  fi
}

ensure_port_free() {
  local what=$1 port=$2 variable=$3 current=$4 user
  port_taken "$port" || return 0
  user=$(port_user "$port")
  die "port $port ($what) is already in use by ${user:-another process}, which this infra.sh did not start (its state is in $STATE)." \
    "Stop that process, or choose another port: $variable=$((current + 100)) bash deploy/local/infra.sh start"
}

# Every port is checked before anything is launched, so a clash leaves nothing half-started.
ensure_ports_free() {
  if ! live_pid kafka "$KAFKA_PIDFILE" "$KAFKA_MARKER" >/dev/null; then
    ensure_port_free "Kafka" "$KAFKA_PORT" BINOME_KAFKA_PORT "$KAFKA_PORT"
    ensure_port_free "Kafka controller, Kafka's port + 1" "$((KAFKA_PORT + 1))" BINOME_KAFKA_PORT "$KAFKA_PORT"
  fi
  if ! live_pid ferretdb "$FERRETDB_PIDFILE" "$FERRETDB_MARKER" >/dev/null; then
    ensure_port_free "FerretDB" "$MONGO_PORT" BINOME_MONGO_PORT "$MONGO_PORT"
  fi
}

# --- processes --------------------------------------------------------------------------

command_line() {
  if [[ -r /proc/$1/cmdline ]]; then
    tr '\0' ' ' <"/proc/$1/cmdline"
  else
    ps -ww -o args= -p "$1" 2>/dev/null
  fi
}

# is_ours PID MARKER: the pid is alive (not a zombie) and runs our command.
is_ours() {
  local cmd
  cmd=$(command_line "$1") || return 1
  [[ $cmd == *"$2"* ]]
}

# live_pid NAME PIDFILE MARKER: print the pid of our running process; drop a stale pid file.
live_pid() {
  local name=$1 pidfile=$2 marker=$3 pid
  [[ -e $pidfile ]] || return 1
  pid=$(<"$pidfile")
  if [[ $pid =~ ^[0-9]+$ ]] && is_ours "$pid" "$marker"; then
    printf '%s' "$pid"
    return 0
  fi
  say "$name: removing stale pid file $pidfile (pid '${pid}' is not running $name)" >&2
  rm -f "$pidfile"
  return 1
}

# launch PIDFILE LOGFILE COMMAND...: start detached, in its own session, so that it
# outlives this script and a Ctrl-C or a CI step's end in the caller's process group.
launch() {
  local pidfile=$1 logfile=$2
  shift 2
  rm -f "$pidfile"
  local detach=()
  command -v setsid >/dev/null && detach=(setsid)
  # The child records its own pid: setsid forks when it is a process group leader.
  # Fd 9 is closed so that the server does not inherit (and hold) infra.sh's lock.
  # shellcheck disable=SC2016 # $$ and $0 belong to the child shell.
  "${detach[@]}" nohup bash -c 'echo "$$" >"$0" && exec "$@"' "$pidfile" "$@" \
    >>"$logfile" 2>&1 </dev/null 9>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s $pidfile ]] && return 0
    sleep 0.1
  done
  die "the process did not start: $*" "$(show_tail "$logfile" 2>&1)"
}

# request_stop NAME PIDFILE MARKER: send SIGTERM; sets STOPPING_PID (empty: was not running).
STOPPING_PID=
request_stop() {
  local name=$1 pidfile=$2 marker=$3
  STOPPING_PID=
  if ! STOPPING_PID=$(live_pid "$name" "$pidfile" "$marker"); then
    STOPPING_PID=
    say "$name: not running"
    return 0
  fi
  kill -TERM "$STOPPING_PID" 2>/dev/null || true
}

# await_stop NAME PIDFILE MARKER PID STARTED-MS: wait for the exit, SIGKILL after the timeout.
await_stop() {
  local name=$1 pidfile=$2 marker=$3 pid=$4 started=$5
  [[ -n $pid ]] || return 0
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while is_ours "$pid" "$marker" && ((SECONDS < deadline)); do
    sleep 0.1
  done
  if is_ours "$pid" "$marker"; then
    kill -KILL "$pid" 2>/dev/null || true
    say "$name: did not stop within ${STOP_TIMEOUT}s of SIGTERM, killed (pid $pid)"
  else
    say "$name: stopped (pid $pid, $(since "$started"))"
  fi
  rm -f "$pidfile"
}

# stop_one NAME PIDFILE MARKER
stop_one() {
  local started
  started=$(now_ms)
  request_stop "$@"
  await_stop "$@" "$STOPPING_PID" "$started"
}

rotate_log() {
  [[ -e $1 ]] && mv -f "$1" "$1.1"
  return 0
}

# py_check SCRIPT ARGS...: 0 healthy, 1 not, 2 no usable Python (the check is skipped).
# Sets PY_CHECK_OUTPUT to what the script said.
PY_CHECK_OUTPUT=
py_check() {
  PY_CHECK_OUTPUT=
  [[ -x $PYTHON ]] || return 2
  local rc=0
  PY_CHECK_OUTPUT=$("$PYTHON" "$HERE/$1" "${@:2}" 2>&1) || rc=$?
  case $rc in
    0) return 0 ;;
    3) return 2 ;;
    *) return 1 ;;
  esac
}

# --- fetch ------------------------------------------------------------------------------

# inputs_sum EXTRA FILE...: checksum of build inputs (EXTRA: build flags that matter too).
inputs_sum() {
  { printf '%s\n' "$1"; cat "${@:2}"; } | sha256sum | cut -d ' ' -f 1
}

kafka_inputs_sum() {
  inputs_sum "" "$HERE/kafka/pom.xml"
}

ferretdb_inputs_sum() {
  inputs_sum "tags=$FERRETDB_BUILD_TAGS" "$HERE"/ferretdb/{go.mod,go.sum,main.go}
}

stamp_matches() {
  [[ -f $1 && $(<"$1") == "$2" ]]
}

kafka_fetched() {
  stamp_matches "$KAFKA_STAMP" "$(kafka_inputs_sum)" &&
    [[ -f $KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar ]]
}

ferretdb_built() {
  stamp_matches "$FERRETDB_STAMP" "$(ferretdb_inputs_sum)" &&
    [[ -x $FERRETDB_BIN ]]
}

fetch_kafka() {
  if kafka_fetched; then
    say "kafka $KAFKA_VERSION: cached in $KAFKA_LIBS"
    return 0
  fi
  need_java
  need_mvn
  local started tmp fetch_log=$LOGS/fetch-kafka.log
  started=$(now_ms)
  tmp=$KAFKA_HOME/libs.partial
  mkdir -p "$KAFKA_HOME" "$LOGS"
  rm -rf "$tmp"
  say "kafka $KAFKA_VERSION: fetching the broker jars from Maven Central with mvn"
  if ! mvn -B -ntp -Dstyle.color=never -f "$HERE/kafka/pom.xml" "-Dbinome.libs.dir=$tmp" package \
    >"$fetch_log" 2>&1; then
    rm -rf "$tmp"
    die "mvn could not fetch Kafka $KAFKA_VERSION from Maven Central (is the registry reachable, or a mirror set in ~/.m2/settings.xml?)." \
      "full output: $fetch_log" "$(show_tail "$fetch_log" 2>&1)"
  fi
  rm -rf "$KAFKA_LIBS"
  mv "$tmp" "$KAFKA_LIBS"
  kafka_inputs_sum >"$KAFKA_STAMP"
  say "kafka $KAFKA_VERSION: $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars in $KAFKA_LIBS ($(since "$started"))"
}

fetch_ferretdb() {
  if ferretdb_built; then
    say "ferretdb $FERRETDB_VERSION: cached at $FERRETDB_BIN"
    return 0
  fi
  need_go
  local started tmp fetch_log=$LOGS/fetch-ferretdb.log
  started=$(now_ms)
  tmp=$FERRETDB_HOME/ferretdb.partial
  mkdir -p "$FERRETDB_HOME" "$LOGS"
  say "ferretdb $FERRETDB_VERSION: building with go build (the first build also downloads modules from the Go module proxy: about a minute)"
  if ! (cd "$HERE/ferretdb" &&
    go build -mod=readonly -buildvcs=false -trimpath -tags "$FERRETDB_BUILD_TAGS" \
      -ldflags '-s -w' -o "$tmp" .) >"$fetch_log" 2>&1; then
    rm -f "$tmp"
    die "go build of FerretDB $FERRETDB_VERSION failed; if the output shows download errors, the Go module proxy (GOPROXY=$(go env GOPROXY)) is not reachable." \
      "full output: $fetch_log" "$(show_tail "$fetch_log" 2>&1)"
  fi
  mv -f "$tmp" "$FERRETDB_BIN"
  ferretdb_inputs_sum >"$FERRETDB_STAMP"
  say "ferretdb $FERRETDB_VERSION: built $FERRETDB_BIN ($(since "$started"))"
}

# --- kafka ------------------------------------------------------------------------------

write_kafka_config() {
  mkdir -p "$KAFKA_DATA"
  cat >"$KAFKA_CONFIG" <<EOF
# Written by deploy/local/infra.sh at every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$((KAFKA_PORT + 1))
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$((KAFKA_PORT + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=3
auto.create.topics.enable=true
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
group.initial.rebalance.delay.ms=0
num.recovery.threads.per.data.dir=1
num.network.threads=2
num.io.threads=4
EOF
}

kafka_java() {
  java -Djava.awt.headless=true "-Dlog4j.configuration=file:$HERE/kafka/log4j.properties" \
    -cp "$KAFKA_LIBS/*" "$@"
}

format_kafka_storage() {
  [[ -f $KAFKA_DATA/meta.properties ]] && return 0
  local cluster_id
  cluster_id=$(kafka_java kafka.tools.StorageTool random-uuid 2>>"$KAFKA_LOG" | tail -n 1)
  [[ $cluster_id =~ ^[A-Za-z0-9_-]{22}$ ]] ||
    die "kafka.tools.StorageTool random-uuid gave '$cluster_id', not a cluster id." "$(show_tail "$KAFKA_LOG" 2>&1)"
  kafka_java kafka.tools.StorageTool format --ignore-formatted -t "$cluster_id" -c "$KAFKA_CONFIG" \
    >>"$KAFKA_LOG" 2>&1 ||
    die "formatting the Kafka storage in $KAFKA_DATA failed." "$(show_tail "$KAFKA_LOG" 2>&1)"
  say "kafka: formatted $KAFKA_DATA (cluster id $cluster_id)"
}

# start_kafka: sets KAFKA_PENDING=1 when a process must still be waited for.
KAFKA_PENDING=0
start_kafka() {
  local pid
  if pid=$(live_pid kafka "$KAFKA_PIDFILE" "$KAFKA_MARKER"); then
    if port_open "$KAFKA_PORT" && kafka_log_ready; then
      say "kafka: already running (pid $pid) on 127.0.0.1:$KAFKA_PORT"
    else
      say "kafka: running (pid $pid) but not ready yet, waiting"
      KAFKA_PENDING=1
    fi
    return 0
  fi
  need_java
  mkdir -p "$KAFKA_STATE" "$LOGS"
  rotate_log "$KAFKA_LOG"
  write_kafka_config
  format_kafka_storage
  local heap=()
  read -r -a heap <<<"$KAFKA_HEAP_OPTS"
  launch "$KAFKA_PIDFILE" "$KAFKA_LOG" \
    java "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true "-Dlog4j.configuration=file:$HERE/kafka/log4j.properties" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONFIG"
  say "kafka: started (pid $(<"$KAFKA_PIDFILE")), log $KAFKA_LOG"
  KAFKA_PENDING=1
}

kafka_log_ready() {
  grep -q "$KAFKA_READY_LINE" "$KAFKA_LOG" 2>/dev/null
}

# A failed start leaves nothing half-running behind.
abort_start() {
  local name=$1 pidfile=$2 marker=$3 logfile=$4 message=$5
  stop_one "$name" "$pidfile" "$marker" >/dev/null 2>&1
  die "$message" "$(show_tail "$logfile" 2>&1)"
}

wait_kafka() {
  local started=$1 deadline=$((SECONDS + KAFKA_TIMEOUT))
  # The broker logs this line once it is unfenced and serving; the port alone opens earlier.
  until port_open "$KAFKA_PORT" && kafka_log_ready; do
    is_ours "$(<"$KAFKA_PIDFILE")" "$KAFKA_MARKER" ||
      abort_start kafka "$KAFKA_PIDFILE" "$KAFKA_MARKER" "$KAFKA_LOG" "kafka exited during start."
    ((SECONDS < deadline)) ||
      abort_start kafka "$KAFKA_PIDFILE" "$KAFKA_MARKER" "$KAFKA_LOG" \
        "kafka was not ready within ${KAFKA_TIMEOUT}s (BINOME_KAFKA_TIMEOUT); stopped it."
    sleep 0.2
  done
  local remaining=$((deadline - SECONDS)) rc=0
  ((remaining >= 15)) || remaining=15
  py_check kafka_ready.py --bootstrap "127.0.0.1:$KAFKA_PORT" --timeout "$remaining" || rc=$?
  case $rc in
    0) say "kafka: ready on 127.0.0.1:$KAFKA_PORT, took an acks=all write ($(since "$started"))" ;;
    2) say "kafka: ready on 127.0.0.1:$KAFKA_PORT ($(since "$started"); no Python check: $PYTHON missing or without the packages)" ;;
    *) abort_start kafka "$KAFKA_PIDFILE" "$KAFKA_MARKER" "$KAFKA_LOG" \
      "kafka started but did not take a write: $PY_CHECK_OUTPUT" ;;
  esac
}

# --- ferretdb ---------------------------------------------------------------------------

FERRETDB_PENDING=0
start_ferretdb() {
  local pid
  if pid=$(live_pid ferretdb "$FERRETDB_PIDFILE" "$FERRETDB_MARKER"); then
    if port_open "$MONGO_PORT"; then
      say "ferretdb: already running (pid $pid) on 127.0.0.1:$MONGO_PORT"
      if [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == *' (deleted)' ]]; then
        say "ferretdb: note: it runs an older build; 'infra.sh stop' then 'start' to use the new one"
      fi
    else
      say "ferretdb: running (pid $pid) but not ready yet, waiting"
      FERRETDB_PENDING=1
    fi
    return 0
  fi
  mkdir -p "$FERRETDB_DATA" "$LOGS"
  rotate_log "$FERRETDB_LOG"
  launch "$FERRETDB_PIDFILE" "$FERRETDB_LOG" \
    "$FERRETDB_BIN" -listen-addr "127.0.0.1:$MONGO_PORT" -sqlite-dir "$FERRETDB_DATA" \
    -log-level "$FERRETDB_LOG_LEVEL"
  say "ferretdb: started (pid $(<"$FERRETDB_PIDFILE")), log $FERRETDB_LOG"
  FERRETDB_PENDING=1
}

wait_ferretdb() {
  local started=$1 deadline=$((SECONDS + MONGO_TIMEOUT))
  until port_open "$MONGO_PORT"; do
    is_ours "$(<"$FERRETDB_PIDFILE")" "$FERRETDB_MARKER" ||
      abort_start ferretdb "$FERRETDB_PIDFILE" "$FERRETDB_MARKER" "$FERRETDB_LOG" "ferretdb exited during start."
    ((SECONDS < deadline)) ||
      abort_start ferretdb "$FERRETDB_PIDFILE" "$FERRETDB_MARKER" "$FERRETDB_LOG" \
        "ferretdb was not listening within ${MONGO_TIMEOUT}s (BINOME_MONGO_TIMEOUT); stopped it."
    sleep 0.1
  done
  local rc=0
  py_check mongo_ready.py --url "$(mongo_url)" --timeout 15 || rc=$?
  case $rc in
    0) say "ferretdb: ready on $(mongo_url), answered ping ($(since "$started"))" ;;
    2) say "ferretdb: listening on $(mongo_url) ($(since "$started"); no Python check: $PYTHON missing or without the packages)" ;;
    *) abort_start ferretdb "$FERRETDB_PIDFILE" "$FERRETDB_MARKER" "$FERRETDB_LOG" \
      "ferretdb listens but did not answer ping: $PY_CHECK_OUTPUT" ;;
  esac
}

mongo_url() {
  printf 'mongodb://127.0.0.1:%s/' "$MONGO_PORT"
}

# --- status -----------------------------------------------------------------------------

# report NAME PIDFILE MARKER PORT ADDRESS CHECK-SCRIPT CHECK-ARGS...
report() {
  local name=$1 pidfile=$2 marker=$3 port=$4 address=$5 pid user rc=0
  shift 5
  if ! pid=$(live_pid "$name" "$pidfile" "$marker"); then
    user=$(port_user "$port")
    if port_taken "$port"; then
      say "$name: not running (but port $port is used by ${user:-another process})"
    else
      say "$name: not running"
    fi
    return 1
  fi
  if ! port_open "$port"; then
    say "$name: NOT healthy: pid $pid runs but nothing answers on $address"
    return 1
  fi
  py_check "$@" || rc=$?
  if ((rc == 2)) && [[ $name == kafka ]] && ! kafka_log_ready; then
    say "$name: NOT healthy (pid $pid, $address): no '$KAFKA_READY_LINE' in $KAFKA_LOG yet"
    return 1
  fi
  case $rc in
    0) say "$name: healthy (pid $pid, $address)" ;;
    2) say "$name: healthy (pid $pid, $address; port answers, Python check skipped: $PYTHON missing or without the packages)" ;;
    *)
      say "$name: NOT healthy (pid $pid, $address): $PY_CHECK_OUTPUT"
      return 1
      ;;
  esac
}

status_all() {
  local rc=0
  report kafka "$KAFKA_PIDFILE" "$KAFKA_MARKER" "$KAFKA_PORT" "127.0.0.1:$KAFKA_PORT" \
    kafka_ready.py --bootstrap "127.0.0.1:$KAFKA_PORT" --timeout 10 || rc=1
  report ferretdb "$FERRETDB_PIDFILE" "$FERRETDB_MARKER" "$MONGO_PORT" "$(mongo_url)" \
    mongo_ready.py --url "$(mongo_url)" --timeout 5 || rc=1
  return "$rc"
}

# --- commands ---------------------------------------------------------------------------

# One infra.sh at a time changes the state (two test sessions starting at once, say).
take_lock() {
  command -v flock >/dev/null || return 0
  mkdir -p "$STATE"
  exec 9>>"$STATE/infra.lock"
  flock -n 9 && return 0
  say "waiting for another infra.sh to finish (lock $STATE/infra.lock)"
  flock -w 900 9 || die "another infra.sh held $STATE/infra.lock for 15 minutes."
}

cmd_fetch() {
  take_lock
  fetch_kafka
  fetch_ferretdb
}

cmd_start() {
  take_lock
  local started
  started=$(now_ms)
  kafka_fetched || fetch_kafka
  ferretdb_built || fetch_ferretdb
  ensure_ports_free
  # Both are launched before waiting for either: Kafka's JVM start dominates.
  start_kafka
  start_ferretdb
  ((FERRETDB_PENDING)) && wait_ferretdb "$started"
  ((KAFKA_PENDING)) && wait_kafka "$started"
  if ((KAFKA_PENDING || FERRETDB_PENDING)); then
    say "infra ready in $(since "$started"): $(env_line KAFKA_BOOTSTRAP_SERVERS) $(env_line MONGODB_URL)"
  else
    say "nothing to do: kafka and ferretdb were already running"
  fi
}

cmd_stop() {
  take_lock
  local started kafka_pid ferretdb_pid
  started=$(now_ms)
  # Both are signalled first, so that they shut down side by side.
  request_stop kafka "$KAFKA_PIDFILE" "$KAFKA_MARKER"
  kafka_pid=$STOPPING_PID
  request_stop ferretdb "$FERRETDB_PIDFILE" "$FERRETDB_MARKER"
  ferretdb_pid=$STOPPING_PID
  await_stop kafka "$KAFKA_PIDFILE" "$KAFKA_MARKER" "$kafka_pid" "$started"
  await_stop ferretdb "$FERRETDB_PIDFILE" "$FERRETDB_MARKER" "$ferretdb_pid" "$started"
}

cmd_clean() {
  cmd_stop
  rm -rf "$KAFKA_STATE" "$FERRETDB_STATE" "$STATE/infra.lock"
  rmdir "$STATE" 2>/dev/null || true
  say "removed the state in $STATE (Kafka data, SQLite files); kept the cache in $CACHE and the logs in $LOGS"
}

env_line() {
  case $1 in
    KAFKA_BOOTSTRAP_SERVERS) printf 'KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:%s' "$KAFKA_PORT" ;;
    MONGODB_URL) printf 'MONGODB_URL=%s' "$(mongo_url)" ;;
  esac
}

cmd_env() {
  printf 'export %s\n' "$(env_line KAFKA_BOOTSTRAP_SERVERS)" "$(env_line MONGODB_URL)"
}

cmd_help() {
  cat <<EOF
Usage: deploy/local/infra.sh COMMAND

Local Kafka $KAFKA_VERSION (KRaft) and FerretDB $FERRETDB_VERSION (MongoDB wire protocol over SQLite).

  fetch    download Kafka's jars (mvn) and build FerretDB (go), unless already cached
  start    fetch if needed, start whatever is not running, wait until healthy
  status   health of both; exit 0 only if both are healthy
  stop     stop both (SIGTERM, then SIGKILL after ${STOP_TIMEOUT}s)
  env      print the exports for the services and tests: eval "\$(deploy/local/infra.sh env)"
  clean    stop, then delete the state (data); keeps the cache and the logs

Kafka 127.0.0.1:$KAFKA_PORT (controller $((KAFKA_PORT + 1)))   FerretDB $(mongo_url)
cache $CACHE
state $STATE
logs  $LOGS
EOF
}

main() {
  check_settings
  case $COMMAND in
    fetch) cmd_fetch ;;
    start) cmd_start ;;
    status) status_all ;;
    stop) cmd_stop ;;
    env) cmd_env ;;
    clean) cmd_clean ;;
    help | -h | --help) cmd_help ;;
    *)
      cmd_help >&2
      die "unknown command '$COMMAND'"
      ;;
  esac
}

main
