# Apache Kafka, one KRaft node (broker + controller), jars from Maven Central (kafka/pom.xml).
# shellcheck shell=bash

KAFKA_PORT=${BINOME_KAFKA_PORT:-19092}
KAFKA_HEAP_OPTS=${BINOME_KAFKA_HEAP_OPTS:--Xms256m -Xmx1g}
# G1 with a fixed young generation: left to its 20 ms pause goal on 2 busy cores, G1 shrank the young
# generation to ~13 MB and paused the broker every 3-4 s (7-130 ms each, every producer's ack waiting);
# 128 MB of young generation fills in tens of seconds. See docs/benchmarks.md, "The local servers' pauses".
KAFKA_GC_OPTS=${BINOME_KAFKA_GC_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Xmn128m}
# The version comes from the build input, so that bumping it there is enough.
KAFKA_VERSION=$(sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$HERE/kafka/pom.xml" | head -n 1)
KAFKA_HOME=$CACHE/kafka-$KAFKA_VERSION
KAFKA_LIBS=$KAFKA_HOME/libs
KAFKA_STAMP=$KAFKA_HOME/inputs.sha256
KAFKA_STATE=$STATE/kafka
KAFKA_DATA=$KAFKA_STATE/data
KAFKA_CONFIG=$KAFKA_STATE/server.properties
KAFKA_READY_LINE='Kafka Server started'
# SASL/SCRAM principals: the admin (super user), one per service, the enterprise subscriber and the
# dead-letter operator (tools/dlq); a contract test keeps this list equal to tools/kafka_access.py.
# Their ACLs come from the code (kafka_acls.py).
KAFKA_PRINCIPALS="admin enrollment matching scheduling feedback enterprise-subscriber dlq-operator"
KAFKA_USERS=$KAFKA_STATE/users  # name:password lines, made once per state (mode 600)

DESCRIPTION[kafka]="Apache Kafka $KAFKA_VERSION (KRaft) on 127.0.0.1:$KAFKA_PORT (controller $((KAFKA_PORT + 1)))"
PIDFILE[kafka]=$KAFKA_STATE/kafka.pid
LOGFILE[kafka]=$LOGS/kafka.log
MARKER[kafka]="kafka.Kafka $KAFKA_CONFIG"  # what `ps` shows; tells ours apart from a reused pid
TIMEOUT[kafka]=${BINOME_KAFKA_TIMEOUT:-90}
PORTS[kafka]="$KAFKA_PORT $((KAFKA_PORT + 1))"
STATEDIR[kafka]=$KAFKA_STATE

kafka_settings() {
  check_port_setting BINOME_KAFKA_PORT "$KAFKA_PORT"
  check_seconds_setting BINOME_KAFKA_TIMEOUT "${TIMEOUT[kafka]}"
  [[ -n $KAFKA_VERSION ]] || die "could not read the Kafka version from $HERE/kafka/pom.xml."
}

kafka_need_java() {
  command -v java >/dev/null ||
    die "java not found: Kafka $KAFKA_VERSION needs a Java 17 (or newer) runtime on PATH." \
      "Debian/Ubuntu: apt-get install openjdk-17-jre-headless"
  local major
  major=$(java_major java)
  if ! [[ $major =~ ^[0-9]+$ ]] || ((major < 17)); then
    die "java on PATH is version '${major:-unknown}'; Kafka $KAFKA_VERSION here expects Java 17 or newer." \
      "$(command -v java)"
  fi
}

kafka_inputs_sum() {
  inputs_sum "" "$HERE/kafka/pom.xml"
}

kafka_fetched() {
  stamp_matches "$KAFKA_STAMP" "$(kafka_inputs_sum)" && [[ -f $KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar ]]
}

kafka_fetch() {
  kafka_need_java
  need_mvn "Kafka $KAFKA_VERSION"
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

kafka_password() {
  sed -n "s/^$1://p" "$KAFKA_USERS" | head -n 1
}

# A password for every principal (and the controller listener), kept in the state; a broker formatted
# before SASL was used here, or without these users, is formatted again (its data is test data).
kafka_users() {
  mkdir -p "$KAFKA_STATE"
  if [[ ! -s $KAFKA_USERS && -d $KAFKA_DATA ]]; then
    say "kafka: no SASL users in $KAFKA_STATE yet: formatting the broker's storage again"
    rm -rf "$KAFKA_DATA"
  fi
  touch "$KAFKA_USERS"
  chmod 600 "$KAFKA_USERS"
  local name
  for name in controller $KAFKA_PRINCIPALS; do
    [[ -n $(kafka_password "$name") ]] && continue
    printf '%s:%s\n' "$name" "$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24)" >>"$KAFKA_USERS"
  done
}

kafka_write_config() {
  mkdir -p "$KAFKA_DATA"
  local admin controller
  admin=$(kafka_password admin)
  controller=$(kafka_password controller)
  (umask 077 && cat >"$KAFKA_CONFIG") <<CONFIG
# Written by deploy/local/servers/kafka.sh at every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$((KAFKA_PORT + 1))
listeners=SASL_PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$((KAFKA_PORT + 1))
advertised.listeners=SASL_PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_PLAINTEXT
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
# Clients and the broker itself: SCRAM-SHA-512 (users live in the cluster metadata); the controller
# listener: PLAIN with one static user, since SCRAM is not available there in KRaft.
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$admin";
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="controller" password="$controller" user_controller="$controller";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:admin;User:controller
allow.everyone.if.no.acl.found=false
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
# The log cleaner (compacted topics: consumer offsets) would hold a 128 MB buffer on the heap for good,
# which kept G1 running concurrent cycles that freed nothing; 16 MB dedupes ~500,000 keys per pass.
log.cleaner.dedupe.buffer.size=16777216
CONFIG
}

kafka_java() {
  java -Djava.awt.headless=true "-Dlog4j.configuration=file:$HERE/kafka/log4j.properties" \
    -cp "$KAFKA_LIBS/*" "$@"
}

kafka_format_storage() {
  [[ -f $KAFKA_DATA/meta.properties ]] && return 0
  local cluster_id log=${LOGFILE[kafka]}
  cluster_id=$(kafka_java kafka.tools.StorageTool random-uuid 2>>"$log" | tail -n 1)
  [[ $cluster_id =~ ^[A-Za-z0-9_-]{22}$ ]] ||
    die "kafka.tools.StorageTool random-uuid gave '$cluster_id', not a cluster id." "$(show_tail "$log" 2>&1)"
  kafka_java kafka.tools.StorageTool format --ignore-formatted -t "$cluster_id" -c "$KAFKA_CONFIG" \
    --add-scram "SCRAM-SHA-512=[name=admin,password=$(kafka_password admin)]" >>"$log" 2>&1 ||
    die "formatting the Kafka storage in $KAFKA_DATA failed." "$(show_tail "$log" 2>&1)"
  say "kafka: formatted $KAFKA_DATA (cluster id $cluster_id)"
}

kafka_launch() {
  kafka_need_java
  mkdir -p "$KAFKA_STATE" "$LOGS"
  rotate_log "${LOGFILE[kafka]}"
  kafka_users
  kafka_write_config
  kafka_format_storage
  local heap=() gc=()
  read -r -a heap <<<"$KAFKA_HEAP_OPTS"
  read -r -a gc <<<"$KAFKA_GC_OPTS"
  launch kafka java "${heap[@]}" "${gc[@]}" -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true "-Dlog4j.configuration=file:$HERE/kafka/log4j.properties" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONFIG"
}

# The broker logs this line once it is unfenced and serving; the port alone opens earlier.
kafka_ready() {
  port_open "$KAFKA_PORT" && grep -q "$KAFKA_READY_LINE" "${LOGFILE[kafka]}" 2>/dev/null
}

kafka_users_list() {
  local name list=
  for name in $KAFKA_PRINCIPALS; do list+="${list:+,}$name:$(kafka_password "$name")"; done
  printf '%s' "$list"
}

# kafka_check TIMEOUT: the admin takes an acks=all write; then the users, topics and ACLs are made
# equal to what the code says (tools/kafka_access.py).
kafka_check() {
  local rc=0
  KAFKA_SASL_PASSWORD=$(kafka_password admin) py_check kafka_ready.py --bootstrap "127.0.0.1:$KAFKA_PORT" \
    --timeout "$1" || rc=$?
  ((rc == 0)) || return "$rc"
  KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT KAFKA_SASL_USERNAME=admin \
    KAFKA_SASL_PASSWORD=$(kafka_password admin) BINOME_KAFKA_USERS=$(kafka_users_list) py_check kafka_acls.py
}

kafka_env() {
  printf 'export KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:%s\n' "$KAFKA_PORT"
  printf 'export KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT KAFKA_SASL_MECHANISM=SCRAM-SHA-512\n'
  [[ -s $KAFKA_USERS ]] && printf "export BINOME_KAFKA_USERS='%s'\n" "$(kafka_users_list)"
  return 0
}
