"""A bounded CPU hog: one busy process per core for `--seconds`, to check that the tests pass on a busy
machine (issue 15: the fault tier three times in a row under it). Stops by itself; Ctrl-C stops it too.

Run: `uv run python -m tools.cpu_hog --seconds 1800 & uv run pytest -m faults; kill %1`.
"""

import argparse
import multiprocessing
import os
import time


def _spin(until: float) -> None:
    x = 0
    while time.monotonic() < until:
        for _ in range(100_000):
            x = (x * 31 + 7) % 1_000_003


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=600, help="how long (bounded: at most 4 hours)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    until = time.monotonic() + min(args.seconds, 4 * 3600)
    workers = [multiprocessing.Process(target=_spin, args=(until,), daemon=True) for _ in range(args.workers)]
    for worker in workers:
        worker.start()
    print(f"cpu hog: {args.workers} busy processes for {min(args.seconds, 4 * 3600):.0f} s", flush=True)
    try:
        for worker in workers:
            worker.join()
    except KeyboardInterrupt:
        for worker in workers:
            worker.terminate()


if __name__ == "__main__":
    main()
