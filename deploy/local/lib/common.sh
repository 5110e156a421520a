# Shared by infra.sh and every deploy/local/servers/<name>.sh: messages, checks, processes, caches.
# A server file declares its settings in the associative arrays below and defines
#   <name>_fetched, <name>_fetch, <name>_launch, <name>_ready, <name>_check, <name>_env
# (see servers/README in deploy/local/README.md); infra.sh does the rest the same way for all.
# shellcheck shell=bash

declare -A PIDFILE MARKER LOGFILE TIMEOUT PORTS STATEDIR DESCRIPTION GROUP

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

check_port_setting() {
  local name=$1 value=$2
  if ! [[ $value =~ ^[0-9]+$ ]] || ((value < 1024 || value > 65534)); then
    die "$name=$value is not a port number between 1024 and 65534."
  fi
}

check_seconds_setting() {
  [[ $2 =~ ^[0-9]+$ ]] || die "$1=$2 is not a number of seconds."
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

# java_major JAVA: the major version of a java binary, or nothing.
java_major() {
  "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}

need_mvn() {
  command -v mvn >/dev/null ||
    die "mvn not found: fetching $1 from Maven Central needs Apache Maven 3.6.3+ (3.8.7 tested)." \
      "Debian/Ubuntu: apt-get install maven"
}

# need_go WHAT MIN-VERSION
need_go() {
  command -v go >/dev/null ||
    die "go not found: building $1 needs Go $2 or newer (1.26 tested)." \
      "Debian/Ubuntu: apt-get install golang (check its version is recent enough)"
  local have
  have=$(go env GOVERSION 2>/dev/null || true)
  have=${have#go}
  version_at_least "$have" "$2" || die "go on PATH is version '${have:-unknown}'; $1 needs Go $2 or newer."
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

# ensure_ports_free NAME: every port of a server that is not running must be free.
ensure_ports_free() {
  local name=$1 port user
  live_pid "$name" >/dev/null && return 0
  for port in ${PORTS[$name]}; do
    port_taken "$port" || continue
    user=$(port_user "$port")
    die "port $port ($name) is already in use by ${user:-another process}, which this infra.sh did not start (its state is in $STATE)." \
      "Stop that process, or move $name to other ports (deploy/local/README.md lists the BINOME_*_PORT variables)."
  done
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

# live_pid NAME: print the pid of our running server; drop a stale pid file.
live_pid() {
  local name=$1 pidfile=${PIDFILE[$1]} pid
  [[ -e $pidfile ]] || return 1
  pid=$(<"$pidfile")
  if [[ $pid =~ ^[0-9]+$ ]] && is_ours "$pid" "${MARKER[$name]}"; then
    printf '%s' "$pid"
    return 0
  fi
  say "$name: removing stale pid file $pidfile (pid '${pid}' is not running $name)" >&2
  rm -f "$pidfile"
  return 1
}

# launch NAME COMMAND...: start detached, in its own session, so that it outlives this script
# and a Ctrl-C or a CI step's end in the caller's process group. Logs to LOGFILE[NAME].
launch() {
  local name=$1 pidfile=${PIDFILE[$1]} logfile=${LOGFILE[$1]}
  shift
  mkdir -p "$(dirname "$pidfile")" "$LOGS"
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

# --- caches -----------------------------------------------------------------------------

# inputs_sum EXTRA FILE...: checksum of build inputs (EXTRA: build flags that matter too).
inputs_sum() {
  { printf '%s\n' "$1"; cat "${@:2}"; } | sha256sum | cut -d ' ' -f 1
}

stamp_matches() {
  [[ -f $1 && $(<"$1") == "$2" ]]
}

# go_build_tools NAME MODULE_DIR HOME PACKAGE...: build the main packages of a Go module required by
# MODULE_DIR/go.mod (fetched through the Go module proxy) into HOME, then stamp HOME with the
# checksum of the module's inputs. Used by the servers that are plain upstream programs.
go_build_tools() {
  local name=$1 dir=$2 home=$3 started tmp fetch_log=$LOGS/fetch-$1.log
  shift 3
  need_go "$name" "$(awk '$1 == "go" { print $2; exit }' "$dir/go.mod")"
  started=$(now_ms)
  tmp=$home/bin.partial
  mkdir -p "$home" "$LOGS"
  rm -rf "$tmp"
  local tags=""
  [[ -f $dir/build-tags ]] && tags=$(grep -v '^#' "$dir/build-tags" | tr -s ' \n' ',' | sed 's/^,//;s/,$//')
  say "$name: building $* with go build${tags:+ -tags $tags} (the first build downloads modules from the Go module proxy and takes minutes on 2 cores)"
  if ! (cd "$dir" && go build -mod=readonly -buildvcs=false -trimpath ${tags:+-tags "$tags"} -ldflags '-s -w' -o "$tmp/" "$@") \
    >"$fetch_log" 2>&1; then
    rm -rf "$tmp"
    die "go build of $name failed; if the output shows download errors, the Go module proxy (GOPROXY=$(go env GOPROXY)) is not reachable." \
      "full output: $fetch_log" "$(show_tail "$fetch_log" 2>&1)"
  fi
  rm -rf "$home/bin"
  mv -f "$tmp" "$home/bin"
  go_inputs_sum "$dir" >"$home/inputs.sha256"
  say "$name: built $(ls "$home/bin" | tr '\n' ' ')in $home/bin ($(since "$started"))"
}

# The module's go.mod, go.sum and tools.go, and its build-tags file when it has one (tags that leave
# out what we never use: whole dependency trees, minutes of a cold build on 2 cores).
go_inputs_sum() {
  local inputs=("$1"/{go.mod,go.sum,tools.go})
  [[ -f $1/build-tags ]] && inputs+=("$1/build-tags")
  inputs_sum "" "${inputs[@]}"
}

# http_ok URL: the URL answers 2xx (curl when present, else the venv's Python).
http_ok() {
  if command -v curl >/dev/null; then
    curl -fsS -o /dev/null --max-time 3 "$1" 2>/dev/null
  else
    "$PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=3)' "$1" 2>/dev/null
  fi
}
