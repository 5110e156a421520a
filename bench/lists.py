"""Benchmark: a programme's participant list and statistics with 10,000 participants stored (issue 14).

A throwaway Kafka + FerretDB (ports from BINOME_SERVICE_PORT_OFFSET) and the enrollment service as
its own process; two programmes are imported (`--big` and `--small` people), then each request is
timed `--calls` times: the small programme's list (it used to scan the big one's documents too),
the big one's first page, a filtered page, a page by cursor, and both programmes' statistics.
Target: p99 <= 200 ms with 10,000 participants stored.

    uv run python -m bench.lists [--big 10000] [--small 51] [--calls 100]
"""

import argparse
import os
import time
import uuid

import httpx

from bench.hr_export import PROGRAMME, export
from tools.processes import running_services
from tools.servers import ROOT, throwaway_local_servers

OFFSET = int(os.environ.get("BINOME_SERVICE_PORT_OFFSET", "0"))


def programme(http: httpx.Client, people: int) -> str:
    pid = http.post("/programmes", json={"code": f"LIST-{uuid.uuid4().hex[:6]}", **PROGRAMME}).json()["programme_id"]
    header, *rows = export(people).splitlines()
    for start in range(0, len(rows), 1000):
        body = "\n".join([header, *rows[start:start + 1000]]) + "\n"
        http.post(f"/programmes/{pid}/imports", content=body.encode(),
                  headers={"content-type": "text/csv"}).raise_for_status()
    return pid


def timed(http: httpx.Client, url: str, calls: int, **params: str) -> tuple[float, float]:
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        http.get(url, params=params).raise_for_status()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--big", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=51)
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with throwaway_local_servers(29910 + OFFSET, 27910 + OFFSET) as servers, running_services(
            servers, ROOT / ".local" / "logs" / "bench-lists", database_prefix=f"bench_{uuid.uuid4().hex[:6]}_",
            names=("enrollment",)) as services, httpx.Client(base_url=services["enrollment"].url, timeout=600) as http:
        big, small = programme(http, args.big), programme(http, args.small)
        base = f"/programmes/{big}/participants"
        cursor = http.get(base, params={"limit": 50}).json()["next_after"]
        rows = [
            (f"small programme ({args.small}) list, 50 per page", timed(http, f"/programmes/{small}/participants",
                                                                        args.calls, limit="50")),
            ("small programme statistics", timed(http, f"/programmes/{small}/statistics", args.calls)),
            (f"big programme ({args.big}) first page of 50", timed(http, base, args.calls, limit="50")),
            ("big programme, filtered (country FR, mentors)", timed(http, base, args.calls, limit="50",
                                                                   country="FR", role="mentor")),
            ("big programme, the page after a cursor", timed(http, base, args.calls, limit="50", after=cursor)),
            ("big programme statistics", timed(http, f"/programmes/{big}/statistics", args.calls)),
        ]
    print(f"{args.big + args.small:,} participants stored; load average {load:.1f} at start, "
          f"{os.getloadavg()[0]:.1f} at end; {args.calls} calls each")
    print("| request | p50 | p99 |\n|---|---|---|")
    for name, (p50, p99) in rows:
        print(f"| {name} | {p50:.0f} ms | {p99:.0f} ms |")


if __name__ == "__main__":
    main()
