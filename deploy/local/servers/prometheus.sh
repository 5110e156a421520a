# Prometheus and promtool v0.316.0 (Prometheus 3), built through the Go module proxy from
# prometheus/go.mod. Runs deploy/prometheus/prometheus.yml and alerts.yml against the services on
# 127.0.0.1 (their ports + BINOME_SERVICE_PORT_OFFSET). Not in the default set: started on demand.
# shellcheck shell=bash

PROMETHEUS_PORT=${BINOME_PROMETHEUS_PORT:-9090}
PROMETHEUS_SCRAPE_INTERVAL=${BINOME_PROMETHEUS_SCRAPE_INTERVAL:-2s}
SERVICE_PORT_OFFSET=${BINOME_SERVICE_PORT_OFFSET:-0}
PROMETHEUS_VERSION=$(awk '$1 == "github.com/prometheus/prometheus" { print $2; exit }
                          $2 == "github.com/prometheus/prometheus" { print $3; exit }' "$HERE/prometheus/go.mod")
# Keyed by the inputs too (build tags included): worktrees on different inputs do not rebuild each other.
PROMETHEUS_HOME=$CACHE/prometheus-$PROMETHEUS_VERSION-$(go_inputs_sum "$HERE/prometheus" | cut -c 1-12)
PROMETHEUS_BIN=$PROMETHEUS_HOME/bin
PROMETHEUS_STATE=$STATE/prometheus
PROMETHEUS_DATA=$PROMETHEUS_STATE/data
PROMETHEUS_CONFIG=$PROMETHEUS_STATE/prometheus.yml

DESCRIPTION[prometheus]="Prometheus $PROMETHEUS_VERSION on http://127.0.0.1:$PROMETHEUS_PORT (+ promtool)"
PIDFILE[prometheus]=$PROMETHEUS_STATE/prometheus.pid
LOGFILE[prometheus]=$LOGS/prometheus.log
MARKER[prometheus]="--storage.tsdb.path=$PROMETHEUS_DATA"
TIMEOUT[prometheus]=${BINOME_PROMETHEUS_TIMEOUT:-60}
PORTS[prometheus]=$PROMETHEUS_PORT
STATEDIR[prometheus]=$PROMETHEUS_STATE

prometheus_settings() {
  check_port_setting BINOME_PROMETHEUS_PORT "$PROMETHEUS_PORT"
  check_seconds_setting BINOME_PROMETHEUS_TIMEOUT "${TIMEOUT[prometheus]}"
  [[ $SERVICE_PORT_OFFSET =~ ^[0-9]+$ ]] || die "BINOME_SERVICE_PORT_OFFSET=$SERVICE_PORT_OFFSET is not a number."
  [[ $PROMETHEUS_SCRAPE_INTERVAL =~ ^[0-9]+(ms|s|m)$ ]] ||
    die "BINOME_PROMETHEUS_SCRAPE_INTERVAL=$PROMETHEUS_SCRAPE_INTERVAL is not a duration like 2s."
  [[ -n $PROMETHEUS_VERSION ]] || die "could not read the Prometheus version from $HERE/prometheus/go.mod."
}

prometheus_fetched() {
  stamp_matches "$PROMETHEUS_HOME/inputs.sha256" "$(go_inputs_sum "$HERE/prometheus")" &&
    [[ -x $PROMETHEUS_BIN/prometheus && -x $PROMETHEUS_BIN/promtool ]]
}

prometheus_fetch() {
  go_build_tools "prometheus $PROMETHEUS_VERSION" "$HERE/prometheus" "$PROMETHEUS_HOME" \
    github.com/prometheus/prometheus/cmd/prometheus github.com/prometheus/prometheus/cmd/promtool
}

# The committed configuration with local addresses: each `name:port` target becomes
# 127.0.0.1:(port + offset), and the rules are read from the repository.
prometheus_write_config() {
  local script="s#^\( *scrape_interval:\).*#\1 $PROMETHEUS_SCRAPE_INTERVAL#"
  script+=";s#^\( *evaluation_interval:\).*#\1 $PROMETHEUS_SCRAPE_INTERVAL#"
  script+=";s#^\( *- \)alerts.yml#\1$REPO/deploy/prometheus/alerts.yml#"
  local target port
  for target in $(grep -o '"[a-z]*:[0-9]*"' "$REPO/deploy/prometheus/prometheus.yml" | tr -d '"'); do
    port=${target##*:}
    script+=";s#\"$target\"#\"127.0.0.1:$((port + SERVICE_PORT_OFFSET))\"#"
  done
  sed "$script" "$REPO/deploy/prometheus/prometheus.yml" >"$PROMETHEUS_CONFIG"
  "$PROMETHEUS_BIN/promtool" check config "$PROMETHEUS_CONFIG" >/dev/null ||
    die "promtool rejects $PROMETHEUS_CONFIG" "$("$PROMETHEUS_BIN/promtool" check config "$PROMETHEUS_CONFIG" 2>&1)"
}

prometheus_launch() {
  mkdir -p "$PROMETHEUS_DATA" "$LOGS"
  rotate_log "${LOGFILE[prometheus]}"
  prometheus_write_config
  launch prometheus "$PROMETHEUS_BIN/prometheus" "--config.file=$PROMETHEUS_CONFIG" \
    "--storage.tsdb.path=$PROMETHEUS_DATA" "--web.listen-address=127.0.0.1:$PROMETHEUS_PORT" \
    --storage.tsdb.retention.time=1d
}

prometheus_ready() {
  port_open "$PROMETHEUS_PORT" && http_ok "$(prometheus_url)/-/ready"
}

prometheus_check() {
  http_ok "$(prometheus_url)/api/v1/status/buildinfo"
}

prometheus_url() {
  printf 'http://127.0.0.1:%s' "$PROMETHEUS_PORT"
}

prometheus_env() {
  printf 'export PROMETHEUS_URL=%s\n' "$(prometheus_url)"
  printf 'export PROMTOOL=%s\n' "$PROMETHEUS_BIN/promtool"
}
