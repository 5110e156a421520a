"""Makes the local broker's users, topics and ACLs equal to what the code says (tools/kafka_access.py).

Run by deploy/local/infra.sh after Kafka is up, with the admin's credentials in the environment.
Exit 0 when done, 1 on failure, 3 when the project's environment is missing (the check is skipped).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "services")]

try:
    from tools.kafka_access import apply
except ImportError as exc:
    print(f"kafka_acls: {exc} (run `uv sync` for the project venv)", file=sys.stderr)
    sys.exit(3)

if __name__ == "__main__":
    try:
        apply()
    except Exception as exc:
        print(f"kafka_acls: {exc!r}", file=sys.stderr)
        sys.exit(1)
