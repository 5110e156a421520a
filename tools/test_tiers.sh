#!/usr/bin/env bash
# `make test`'s pytest runs. The fault tier (its own Kafka, FerretDB and services; faults are injected
# into those only) runs in a second pytest process beside every other tier: most of either's time is
# spent waiting on servers and consumers, not computing. Arguments go to both runs (e.g. --durations=30).
#
# The shared servers (Kafka, FerretDB, Keycloak; both runs take Keycloak's tokens) are started once, in
# the background while the tiers that need no server run, and stopped at the end if this script started
# them; BINOME_KEEP_SERVERS=1 tells each run's `servers` fixture to leave them to it (tools/servers.py).
# BINOME_TEST_TIERS_SERIAL=1: one pytest process for every tier, the fault tier in turn, as before.
set -uo pipefail
cd "$(dirname "$0")/.."
INFRA=deploy/local/infra.sh
LOGS=${BINOME_LOGS:-.local/logs}
mkdir -p "$LOGS"

if [[ ${BINOME_TEST_TIERS_SERIAL:-0} == 1 ]]; then
  exec uv run pytest "$@"
fi

starting=0
if [[ -z ${KAFKA_BOOTSTRAP_SERVERS:-} || -z ${MONGODB_URL:-} || -z ${OIDC_ISSUER_URL:-} ]]; then
  if ! bash "$INFRA" status >/dev/null 2>&1; then
    bash "$INFRA" start >"$LOGS/test-servers.log" 2>&1 &
    starting=$!
    echo "test_tiers: starting Kafka, FerretDB and Keycloak in the background (pid $starting, $LOGS/test-servers.log)"
  fi
fi
export BINOME_KEEP_SERVERS=1
faults=0
finish() {
  ((faults)) && kill -TERM "$faults" 2>/dev/null && wait "$faults"
  if ((starting)); then
    wait "$starting"
    bash "$INFRA" stop >/dev/null 2>&1
  fi
}
trap finish EXIT

faults_log="$LOGS/test-faults.$$.log"
uv run pytest -m faults tests/faults "$@" >"$faults_log" 2>&1 &
faults=$!
echo "test_tiers: the fault tier runs beside the other tiers (pid $faults); its output follows theirs ($faults_log)"

uv run pytest -m "not faults" "$@"
others=$?
wait "$faults"
faults_rc=$?
faults=0
echo
echo "================================ the fault tier (tests/faults) ================================"
cat "$faults_log"
echo "test_tiers: exit $others for the other tiers, $faults_rc for the fault tier"
((others == 0 && faults_rc == 0))
