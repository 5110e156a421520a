# Keycloak (OIDC identity provider), the Quarkus distribution from Maven Central, built once per version
# and build options (`kc.sh build`), started with the realm in deploy/keycloak/ imported into an
# in-memory database: every start serves exactly the realm file, nothing persists between runs.
# shellcheck shell=bash

KEYCLOAK_PORT=${BINOME_KEYCLOAK_PORT:-18080}
KEYCLOAK_VERSION=26.4.7
# Build-time options: changing them rebuilds the cached tree (they are part of its checksum).
KEYCLOAK_BUILD_OPTIONS="--db=dev-mem --health-enabled=true"
KEYCLOAK_HOME=$CACHE/keycloak-$KEYCLOAK_VERSION
KEYCLOAK_STAMP=$KEYCLOAK_HOME/inputs.sha256
KEYCLOAK_STATE=$STATE/keycloak
KEYCLOAK_RUN_HOME=$KEYCLOAK_STATE/home
KEYCLOAK_REALM=$REPO/deploy/keycloak/binome-realm.json
KEYCLOAK_HEAP=${BINOME_KEYCLOAK_HEAP_OPTS:--Xms64m -Xmx768m}

DESCRIPTION[keycloak]="Keycloak $KEYCLOAK_VERSION on http://127.0.0.1:$KEYCLOAK_PORT/realms/binome (health :$((KEYCLOAK_PORT + 1)))"
PIDFILE[keycloak]=$KEYCLOAK_STATE/keycloak.pid
LOGFILE[keycloak]=$LOGS/keycloak.log
MARKER[keycloak]="$KEYCLOAK_RUN_HOME/bin/kc.sh"
TIMEOUT[keycloak]=${BINOME_KEYCLOAK_TIMEOUT:-240}
PORTS[keycloak]="$KEYCLOAK_PORT $((KEYCLOAK_PORT + 1))"
STATEDIR[keycloak]=$KEYCLOAK_STATE
# kc.sh runs the JVM as its child: signals go to the whole process group.
GROUP[keycloak]=1

keycloak_settings() {
  check_port_setting BINOME_KEYCLOAK_PORT "$KEYCLOAK_PORT"
  check_seconds_setting BINOME_KEYCLOAK_TIMEOUT "${TIMEOUT[keycloak]}"
  [[ -f $KEYCLOAK_REALM ]] || die "the realm file $KEYCLOAK_REALM is missing."
}

# Keycloak 26 needs Java 21+; Kafka keeps the default Java. BINOME_KEYCLOAK_JAVA_HOME, else the newest
# JDK in Debian's JVM folder, else JAVA_HOME, when one is recent enough.
keycloak_java_home() {
  local candidate major
  for candidate in "${BINOME_KEYCLOAK_JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 \
    $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV) "${JAVA_HOME:-}"; do
    [[ -n $candidate && -x $candidate/bin/java ]] || continue
    major=$(java_major "$candidate/bin/java")
    if [[ $major =~ ^[0-9]+$ ]] && ((major >= 21)); then
      printf '%s' "$candidate"
      return 0
    fi
  done
  die "Keycloak $KEYCLOAK_VERSION needs Java 21 or newer and none was found (set BINOME_KEYCLOAK_JAVA_HOME)." \
    "Debian/Ubuntu: apt-get install openjdk-21-jre-headless (Kafka keeps using the default java)"
}

keycloak_inputs_sum() {
  printf '%s %s\n' "$KEYCLOAK_VERSION" "$KEYCLOAK_BUILD_OPTIONS" | sha256sum | cut -d ' ' -f 1
}

keycloak_fetched() {
  stamp_matches "$KEYCLOAK_STAMP" "$(keycloak_inputs_sum)" && [[ -x $KEYCLOAK_HOME/bin/kc.sh ]]
}

keycloak_fetch() {
  need_mvn "Keycloak $KEYCLOAK_VERSION"
  local started java_home tmp=$CACHE/keycloak-$KEYCLOAK_VERSION.partial fetch_log=$LOGS/fetch-keycloak.log
  started=$(now_ms)
  java_home=$(keycloak_java_home)
  rm -rf "$tmp"
  mkdir -p "$tmp" "$LOGS"
  say "keycloak $KEYCLOAK_VERSION: fetching the distribution (about 160 MB) from Maven Central with mvn"
  if ! mvn -B -ntp -Dstyle.color=never dependency:copy \
    "-Dartifact=org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" "-DoutputDirectory=$tmp" \
    >"$fetch_log" 2>&1; then
    rm -rf "$tmp"
    die "mvn could not fetch Keycloak $KEYCLOAK_VERSION from Maven Central." "full output: $fetch_log" \
      "$(show_tail "$fetch_log" 2>&1)"
  fi
  keycloak_unzip "$tmp/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip" "$tmp" >>"$fetch_log" 2>&1 ||
    die "unpacking the Keycloak distribution failed." "full output: $fetch_log"
  say "keycloak $KEYCLOAK_VERSION: kc.sh build $KEYCLOAK_BUILD_OPTIONS (Quarkus augmentation, once per version)"
  # shellcheck disable=SC2086 # the options are words
  if ! JAVA_HOME=$java_home "$tmp/keycloak-$KEYCLOAK_VERSION/bin/kc.sh" build $KEYCLOAK_BUILD_OPTIONS \
    >>"$fetch_log" 2>&1; then
    rm -rf "$tmp"
    die "kc.sh build failed." "full output: $fetch_log" "$(show_tail "$fetch_log" 2>&1)"
  fi
  rm -rf "$KEYCLOAK_HOME"
  mv "$tmp/keycloak-$KEYCLOAK_VERSION" "$KEYCLOAK_HOME"
  rm -rf "$tmp"
  keycloak_inputs_sum >"$KEYCLOAK_STAMP"
  say "keycloak $KEYCLOAK_VERSION: built in $KEYCLOAK_HOME ($(since "$started"))"
}

# No unzip on every machine: Python's zipfile, keeping the files' modes (kc.sh must stay executable).
keycloak_unzip() {
  python3 - "$1" "$2" <<'PYTHON'
import os
import sys
import zipfile

with zipfile.ZipFile(sys.argv[1]) as archive:
    for info in archive.infolist():
        path = archive.extract(info, sys.argv[2])
        mode = info.external_attr >> 16
        if mode and not info.is_dir():
            os.chmod(path, mode & 0o777)
PYTHON
}

# A home of this state's own (its data/ and the realm to import) over the shared, built tree.
keycloak_run_home() {
  rm -rf "$KEYCLOAK_RUN_HOME"
  mkdir -p "$KEYCLOAK_RUN_HOME/data/import"
  cp -R "$KEYCLOAK_HOME/bin" "$KEYCLOAK_RUN_HOME/bin"
  local part
  for part in lib conf providers themes; do ln -s "$KEYCLOAK_HOME/$part" "$KEYCLOAK_RUN_HOME/$part"; done
  cp "$KEYCLOAK_REALM" "$KEYCLOAK_RUN_HOME/data/import/"
}

keycloak_launch() {
  local java_home
  java_home=$(keycloak_java_home)
  rotate_log "${LOGFILE[keycloak]}"
  keycloak_run_home
  # Startup dominates on 2 shared cores: the quick C1 compiler only (about half the start time, measured).
  JAVA_HOME=$java_home JAVA_OPTS_KC_HEAP=$KEYCLOAK_HEAP JAVA_OPTS_APPEND="-XX:TieredStopAtLevel=1" \
    launch keycloak "$KEYCLOAK_RUN_HOME/bin/kc.sh" start \
    --optimized --import-realm --http-enabled=true --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" \
    --http-management-port="$((KEYCLOAK_PORT + 1))" --hostname="http://127.0.0.1:$KEYCLOAK_PORT" \
    --log-level=warn,org.keycloak.services:info
}

keycloak_ready() {
  port_open "$((KEYCLOAK_PORT + 1))" && port_open "$KEYCLOAK_PORT"
}

keycloak_check() {
  py_check keycloak_ready.py --issuer "$(keycloak_issuer)" --health "http://127.0.0.1:$((KEYCLOAK_PORT + 1))/health/ready" \
    --timeout "$1"
}

keycloak_issuer() {
  printf 'http://127.0.0.1:%s/realms/binome' "$KEYCLOAK_PORT"
}

keycloak_env() {
  printf 'export OIDC_ISSUER_URL=%s\n' "$(keycloak_issuer)"
}
