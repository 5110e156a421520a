# Jaeger v1.76.0 (cmd/jaeger: the OpenTelemetry-collector based all-in-one), built through the Go
# module proxy from jaeger/go.mod; traces in memory. Receives OTLP over HTTP and serves the query
# API (/api/traces). Not in the default set: the tracing test starts it on demand.
# shellcheck shell=bash

JAEGER_PORT=${BINOME_JAEGER_PORT:-16686}
JAEGER_OTLP_PORT=${BINOME_JAEGER_OTLP_PORT:-4318}
JAEGER_VERSION=$(awk '$1 == "github.com/jaegertracing/jaeger" { print $2; exit }
                      $2 == "github.com/jaegertracing/jaeger" { print $3; exit }' "$HERE/jaeger/go.mod")
JAEGER_HOME=$CACHE/jaeger-$JAEGER_VERSION
JAEGER_STATE=$STATE/jaeger
JAEGER_CONFIG=$JAEGER_STATE/config.yaml

DESCRIPTION[jaeger]="Jaeger $JAEGER_VERSION: query http://127.0.0.1:$JAEGER_PORT, OTLP/HTTP http://127.0.0.1:$JAEGER_OTLP_PORT"
PIDFILE[jaeger]=$JAEGER_STATE/jaeger.pid
LOGFILE[jaeger]=$LOGS/jaeger.log
MARKER[jaeger]="--config=$JAEGER_CONFIG"
TIMEOUT[jaeger]=${BINOME_JAEGER_TIMEOUT:-60}
# The query's gRPC API takes the port below the HTTP one.
PORTS[jaeger]="$JAEGER_PORT $((JAEGER_PORT - 1)) $JAEGER_OTLP_PORT"
STATEDIR[jaeger]=$JAEGER_STATE

jaeger_settings() {
  check_port_setting BINOME_JAEGER_PORT "$JAEGER_PORT"
  check_port_setting BINOME_JAEGER_OTLP_PORT "$JAEGER_OTLP_PORT"
  check_seconds_setting BINOME_JAEGER_TIMEOUT "${TIMEOUT[jaeger]}"
  [[ -n $JAEGER_VERSION ]] || die "could not read the Jaeger version from $HERE/jaeger/go.mod."
}

jaeger_fetched() {
  stamp_matches "$JAEGER_HOME/inputs.sha256" "$(go_inputs_sum "$HERE/jaeger")" && [[ -x $JAEGER_HOME/bin/jaeger ]]
}

jaeger_fetch() {
  go_build_tools "jaeger $JAEGER_VERSION" "$HERE/jaeger" "$JAEGER_HOME" github.com/jaegertracing/jaeger/cmd/jaeger
}

# Only what the tests use, all on loopback: OTLP/HTTP in, memory storage, the query API out.
jaeger_write_config() {
  cat >"$JAEGER_CONFIG" <<YAML
service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
    logs:
      level: warn
extensions:
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 100000
  jaeger_query:
    storage:
      traces: memstore
    enable_tracing: false
    http:
      endpoint: 127.0.0.1:$JAEGER_PORT
    grpc:
      endpoint: 127.0.0.1:$((JAEGER_PORT - 1))
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:$JAEGER_OTLP_PORT
processors:
  batch:
    timeout: 200ms
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
YAML
}

jaeger_launch() {
  mkdir -p "$JAEGER_STATE" "$LOGS"
  rotate_log "${LOGFILE[jaeger]}"
  jaeger_write_config
  launch jaeger "$JAEGER_HOME/bin/jaeger" "--config=$JAEGER_CONFIG"
}

jaeger_ready() {
  port_open "$JAEGER_OTLP_PORT" && http_ok "http://127.0.0.1:$JAEGER_PORT/api/services"
}

jaeger_check() {
  http_ok "http://127.0.0.1:$JAEGER_PORT/api/services"
}

jaeger_env() {
  printf 'export JAEGER_QUERY_URL=http://127.0.0.1:%s\n' "$JAEGER_PORT"
  printf 'export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:%s\n' "$JAEGER_OTLP_PORT"
}
