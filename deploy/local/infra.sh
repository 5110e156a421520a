#!/usr/bin/env bash
# Real local servers for Binôme, without Docker, each with the same shape (fetch, start, health,
# stop): one file per server in servers/, the shared mechanics in lib/common.sh.
#
#   deploy/local/infra.sh fetch|start|status|stop|kill|pid|env|clean|help [SERVER...]
#
# With no SERVER, the command applies to $BINOME_SERVERS (default: every server the tests need).
# See deploy/local/README.md for the variables, ports and folders.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${BINOME_CACHE:-$HOME/.cache/binome}
STATE=${BINOME_STATE:-$REPO/.local/state}
LOGS=${BINOME_LOGS:-$REPO/.local/logs}
STOP_TIMEOUT=${BINOME_STOP_TIMEOUT:-30}
PYTHON=${BINOME_PYTHON:-$REPO/.venv/bin/python}
INFRA_LOG=$LOGS/infra.log
COMMAND=${1:-help}
[[ $# -gt 0 ]] && shift

# Every server file in servers/, in start order; the default set is what tests and the demo need.
# Prometheus and Jaeger are started on demand by the tests that use them; PostgreSQL and FerretDB on
# it by the store benchmark.
ALL_SERVERS=(kafka ferretdb keycloak prometheus jaeger postgres ferretdb_pg)
read -r -a DEFAULT_SERVERS <<<"${BINOME_SERVERS:-kafka ferretdb keycloak}"

# shellcheck source=lib/common.sh
source "$HERE/lib/common.sh"
for server in "${ALL_SERVERS[@]}"; do
  # shellcheck source=/dev/null
  source "$HERE/servers/$server.sh"
done

# --- one server -------------------------------------------------------------------------

fetch_server() {
  local name=$1
  if "${name}_fetched"; then
    say "$name: cached (${DESCRIPTION[$name]})"
  else
    "${name}_fetch"
  fi
}

# start_server NAME: launch unless running; sets PENDING[NAME]=1 when it must be waited for.
declare -A PENDING
start_server() {
  local name=$1 pid
  PENDING[$name]=0
  if pid=$(live_pid "$name"); then
    if "${name}_ready"; then
      say "$name: already running (pid $pid): ${DESCRIPTION[$name]}"
      declare -F "${name}_running_note" >/dev/null && "${name}_running_note" "$pid"
    else
      say "$name: running (pid $pid) but not ready yet, waiting"
      PENDING[$name]=1
    fi
    return 0
  fi
  "${name}_launch"
  say "$name: started (pid $(<"${PIDFILE[$name]}")), log ${LOGFILE[$name]}"
  PENDING[$name]=1
}

# A failed start leaves nothing half-running behind.
abort_start() {
  stop_server "$1" >/dev/null 2>&1
  die "$2" "$(show_tail "${LOGFILE[$1]}" 2>&1)"
}

wait_server() {
  local name=$1 started=$2 timeout=${TIMEOUT[$1]}
  local deadline=$((SECONDS + timeout))
  until "${name}_ready"; do
    is_ours "$(<"${PIDFILE[$name]}")" "${MARKER[$name]}" || abort_start "$name" "$name exited during start."
    ((SECONDS < deadline)) || abort_start "$name" "$name was not ready within ${timeout}s; stopped it."
    sleep 0.2
  done
  local remaining=$((deadline - SECONDS)) rc=0
  ((remaining >= 15)) || remaining=15
  "${name}_check" "$remaining" || rc=$?
  case $rc in
    0) say "$name: ready, ${DESCRIPTION[$name]} ($(since "$started"))" ;;
    2) say "$name: ready, ${DESCRIPTION[$name]} ($(since "$started"); no client check: $PYTHON missing or without the packages)" ;;
    *) abort_start "$name" "$name started but failed its check: $PY_CHECK_OUTPUT" ;;
  esac
}

# stop_server NAME [SIGNAL]: SIGTERM (or SIGNAL), then SIGKILL after STOP_TIMEOUT seconds.
stop_server() {
  local name=$1 signal=${2:-TERM} started pid
  started=$(now_ms)
  if ! pid=$(live_pid "$name"); then
    say "$name: not running"
    return 0
  fi
  local target=$pid
  # The server's whole process group (kc.sh and its JVM), when launch made it a group of its own.
  [[ -n ${GROUP[$name]:-} && $(ps -o pgid= -p "$pid" 2>/dev/null | tr -d ' ') == "$pid" ]] && target=-$pid
  kill "-$signal" -- "$target" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while is_ours "$pid" "${MARKER[$name]}" && ((SECONDS < deadline)); do
    sleep 0.1
  done
  if is_ours "$pid" "${MARKER[$name]}"; then
    kill -KILL -- "$target" 2>/dev/null || true
    say "$name: did not stop within ${STOP_TIMEOUT}s of SIG$signal, killed (pid $pid)"
  else
    say "$name: stopped with SIG$signal (pid $pid, $(since "$started"))"
  fi
  rm -f "${PIDFILE[$name]}"
}

status_server() {
  local name=$1 pid port user rc=0
  if ! pid=$(live_pid "$name"); then
    for port in ${PORTS[$name]}; do
      if port_taken "$port"; then
        user=$(port_user "$port")
        say "$name: not running (but port $port is used by ${user:-another process})"
        return 1
      fi
    done
    say "$name: not running"
    return 1
  fi
  if ! "${name}_ready"; then
    say "$name: NOT healthy: pid $pid runs but is not ready (${DESCRIPTION[$name]})"
    return 1
  fi
  "${name}_check" 10 || rc=$?
  case $rc in
    0) say "$name: healthy (pid $pid): ${DESCRIPTION[$name]}" ;;
    2) say "$name: healthy (pid $pid): ${DESCRIPTION[$name]}; client check skipped: $PYTHON missing or without the packages" ;;
    *)
      say "$name: NOT healthy (pid $pid): $PY_CHECK_OUTPUT"
      return 1
      ;;
  esac
}

# --- commands over several servers -------------------------------------------------------

# One infra.sh at a time changes the state (two test sessions starting at once, say).
take_lock() {
  command -v flock >/dev/null || return 0
  mkdir -p "$STATE"
  exec 9>>"$STATE/infra.lock"
  flock -n 9 && return 0
  say "waiting for another infra.sh to finish (lock $STATE/infra.lock)"
  flock -w 900 9 || die "another infra.sh held $STATE/infra.lock for 15 minutes."
}

cmd_start() {
  take_lock
  local started name launched=0
  started=$(now_ms)
  for name in "${SERVERS[@]}"; do "${name}_fetched" || "${name}_fetch"; done
  # Every port is checked before anything is launched, so a clash leaves nothing half-started.
  for name in "${SERVERS[@]}"; do ensure_ports_free "$name"; done
  # All are launched before waiting for any: the slowest start (a JVM) dominates.
  for name in "${SERVERS[@]}"; do start_server "$name"; done
  for name in "${SERVERS[@]}"; do
    ((PENDING[$name])) || continue
    wait_server "$name" "$started"
    launched=1
  done
  if ((launched)); then
    say "ready in $(since "$started"): ${SERVERS[*]}"
  else
    say "nothing to do: ${SERVERS[*]} already running"
  fi
}

cmd_stop() {
  take_lock
  local i
  # Reverse start order: clients of a server stop before it.
  for ((i = ${#SERVERS[@]} - 1; i >= 0; i--)); do stop_server "${SERVERS[i]}" "${1:-TERM}"; done
}

cmd_status() {
  local name rc=0
  for name in "${SERVERS[@]}"; do status_server "$name" || rc=1; done
  return "$rc"
}

cmd_pid() {
  local name
  for name in "${SERVERS[@]}"; do live_pid "$name" && printf '\n' || true; done
}

cmd_clean() {
  cmd_stop
  local name
  for name in "${SERVERS[@]}"; do rm -rf "${STATEDIR[$name]}"; done
  say "removed the state of ${SERVERS[*]} in $STATE; kept the cache in $CACHE and the logs in $LOGS"
}

cmd_env() {
  local name
  for name in "${SERVERS[@]}"; do "${name}_env"; done
}

cmd_help() {
  local name
  cat <<HELP
Usage: deploy/local/infra.sh COMMAND [SERVER...]

  fetch    download or build what the servers need, unless cached
  start    fetch if needed, start whatever is not running, wait until healthy
  status   health of each; exit 0 only if all are healthy
  stop     SIGTERM, then SIGKILL after ${STOP_TIMEOUT}s (BINOME_STOP_TIMEOUT)
  kill     SIGKILL at once (fault tests); 'start' brings the server back on the same state
  pid      the pid of each running server
  env      exports for the services and tests: eval "\$(deploy/local/infra.sh env)"
  clean    stop, then delete the state (data); keeps the cache and the logs

Servers (default set: ${DEFAULT_SERVERS[*]}; BINOME_SERVERS changes it):
HELP
  for name in "${ALL_SERVERS[@]}"; do printf '  %-10s %s\n' "$name" "${DESCRIPTION[$name]}"; done
  printf '\ncache %s\nstate %s\nlogs  %s\n' "$CACHE" "$STATE" "$LOGS"
}

main() {
  check_seconds_setting BINOME_STOP_TIMEOUT "$STOP_TIMEOUT"
  SERVERS=("$@")
  ((${#SERVERS[@]})) || SERVERS=("${DEFAULT_SERVERS[@]}")
  local name
  for name in "${SERVERS[@]}"; do
    [[ -n ${DESCRIPTION[$name]:-} ]] || die "unknown server '$name' (known: ${ALL_SERVERS[*]})"
    "${name}_settings"
  done
  case $COMMAND in
    fetch) take_lock && for name in "${SERVERS[@]}"; do fetch_server "$name"; done ;;
    start) cmd_start ;;
    status) cmd_status ;;
    stop) cmd_stop ;;
    kill) cmd_stop KILL ;;
    pid) cmd_pid ;;
    env) cmd_env ;;
    clean) cmd_clean ;;
    help | -h | --help) cmd_help ;;
    *)
      cmd_help >&2
      die "unknown command '$COMMAND'"
      ;;
  esac
}

main "$@"
