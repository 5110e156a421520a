"""Exit 0 when Keycloak reports ready and serves the realm's OIDC discovery with the expected issuer.

Used by deploy/local/infra.sh as Keycloak's readiness gate (stdlib only).

    python deploy/local/keycloak_ready.py --issuer http://127.0.0.1:18080/realms/binome --health URL [--timeout 60]
"""

import argparse
import json
import sys
import time
import urllib.request


def check(issuer: str, health: str) -> None:
    with urllib.request.urlopen(health, timeout=5) as response:
        if json.load(response).get("status") != "UP":
            raise RuntimeError("health/ready is not UP")
    with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=5) as response:
        discovered = json.load(response)
    if discovered.get("issuer") != issuer:
        raise RuntimeError(f"the realm announces issuer {discovered.get('issuer')!r}, not {issuer!r}")
    with urllib.request.urlopen(discovered["jwks_uri"], timeout=5) as response:
        if not json.load(response).get("keys"):
            raise RuntimeError("the realm publishes no signing key")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issuer", required=True)
    parser.add_argument("--health", required=True)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    deadline, last = time.monotonic() + args.timeout, None
    while time.monotonic() < deadline:
        try:
            check(args.issuer, args.health)
            return 0
        except Exception as exc:  # not up yet: connection refused, 404 before the realm import, ...
            last = exc
            time.sleep(0.5)
    print(f"keycloak_ready: {args.issuer} not ready within {args.timeout:g}s: {last!r}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
