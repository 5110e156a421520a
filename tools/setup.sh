#!/usr/bin/env bash
# Everything a fresh machine needs before `make demo` or `make test`: uv, the locked Python
# environment, and the local Kafka, FerretDB and Keycloak builds (cached outside the repository).
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.8
export UV_PYTHON_DOWNLOADS=never

if ! command -v python3.11 >/dev/null && ! python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "setup: Python 3.11 is required (python3 is $(python3 --version 2>&1))" >&2
  exit 1
fi
if ! command -v uv >/dev/null || [ "$(uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  echo "setup: installing uv $UV_VERSION from PyPI"
  python3 -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
uv sync --frozen --quiet
echo "setup: Python environment ready (.venv, from uv.lock)"

# Only needed when no external servers are given (tools/servers.py says which are used when).
if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ] || [ -z "${MONGODB_URL:-}" ] || [ -z "${OIDC_ISSUER_URL:-}" ]; then
  bash deploy/local/infra.sh fetch
fi
