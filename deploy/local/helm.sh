#!/usr/bin/env bash
# Helm v3 (helm.sh/helm/v3, pinned in helm/go.mod), built through the Go module proxy and cached
# outside the repository like the servers' builds, to lint and render deploy/helm/binome offline.
#
#   deploy/local/helm.sh fetch     build unless cached
#   deploy/local/helm.sh path      the binary's path (builds first if needed)
#   deploy/local/helm.sh ARGS...   run helm
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CACHE=${BINOME_CACHE:-$HOME/.cache/binome}
LOGS=${BINOME_LOGS:-$REPO/.local/logs}
INFRA_LOG=$LOGS/infra.log
COMMAND=helm
# shellcheck source=lib/common.sh
source "$HERE/lib/common.sh"

HELM_VERSION=$(awk '$1 == "helm.sh/helm/v3" { print $2; exit } $2 == "helm.sh/helm/v3" { print $3; exit }' "$HERE/helm/go.mod")
HELM_HOME=$CACHE/helm-$HELM_VERSION

built() {
  stamp_matches "$HELM_HOME/inputs.sha256" "$(go_inputs_sum "$HERE/helm")" && [[ -x $HELM_HOME/bin/helm ]]
}

ensure_built() {
  built || go_build_tools "helm $HELM_VERSION" "$HERE/helm" "$HELM_HOME" helm.sh/helm/v3/cmd/helm >&2
}

case ${1:-path} in
  fetch) if built; then say "helm: cached (Helm $HELM_VERSION)"; else ensure_built; fi ;;
  path) ensure_built && printf '%s\n' "$HELM_HOME/bin/helm" ;;
  *) ensure_built && exec "$HELM_HOME/bin/helm" "$@" ;;
esac
