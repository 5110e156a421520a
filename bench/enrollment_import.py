"""Benchmark: a 10,000-row HR export imported end to end (issue 3; target <= 30 s on these machines).

Real Kafka + MongoDB-wire store, the enrollment service as its own process. Measures, in one run:
- baseline: participants enrolled one HTTP request each (rows/s), on a sample;
- the import: one HTTP upload of the whole export until the report is back (all rows stored), and
  until every ParticipantEnrolled is readable on Kafka by a plain consumer (end to end);
- the same export imported again (nothing changes);
- the command-line tool (chunks of 1,000 rows, progress bar) on a second programme.
Writes the figures into docs/benchmarks.md. Run: `uv run python -m bench.enrollment_import [rows]`.
"""

import asyncio
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid

import httpx
from aiokafka import AIOKafkaConsumer

from bench.hr_export import PROGRAMME, export
from bench.report import write_section
from shared.contracts import ParticipantEnrolled, topic_for
from shared.security import PLATFORM_ADMIN
from tools.identity import Identity
from tools.processes import running_services
from tools.servers import ROOT, Servers, throwaway_local_servers


async def tokens(servers: Servers) -> tuple[str, str]:
    """The platform admin's (launches programmes) and HR's system's (imports, enrolls)."""
    identity = Identity(servers.oidc_issuer_url)
    try:
        return await identity.token(PLATFORM_ADMIN), await identity.hr_token()
    finally:
        await identity.close()


async def events_for(servers: Servers, programme_id: str, expected: int, started: float,
                     timeout: float = 300) -> float:
    consumer = AIOKafkaConsumer(topic_for(ParticipantEnrolled), bootstrap_servers=servers.kafka_bootstrap_servers,
                                **servers.kafka_as("enterprise-subscriber").client_kwargs(),
                                group_id=f"enterprise-bench-{uuid.uuid4().hex[:6]}", auto_offset_reset="earliest",
                                fetch_max_bytes=50 * 1024 * 1024, max_partition_fetch_bytes=10 * 1024 * 1024)
    await consumer.start()
    seen = 0
    needle = f'"programme_id":"{programme_id}"'.encode()
    try:
        while seen < expected and time.monotonic() - started < timeout:
            for records in (await consumer.getmany(timeout_ms=500, max_records=5000)).values():
                # A substring test: the topic also holds other runs' events and the tests' poison messages.
                seen += sum(1 for r in records if needle in r.value)
    finally:
        await consumer.stop()
    if seen < expected:
        raise RuntimeError(f"only {seen}/{expected} events after {timeout}s")
    return time.monotonic() - started


def programme(http: httpx.Client, code: str, as_admin: dict[str, str]) -> str:
    response = http.post("/programmes", json={"code": code, **PROGRAMME}, headers=as_admin)
    response.raise_for_status()
    return response.json()["programme_id"]


def baseline(http: httpx.Client, rows: int, as_admin: dict[str, str]) -> float:
    from enrollment.entrypoints.hr_csv import read_rows

    pid = programme(http, f"BENCH-BASE-{uuid.uuid4().hex[:6]}", as_admin)
    _, records = read_rows(export(rows, seed=11))
    started = time.monotonic()
    for _, cells in records:
        body = {k: v for k, v in cells.items() if k in ("employee_id", "display_name", "role", "country",
                                                         "time_zone", "seniority_level")}
        body["languages"] = cells["languages"].split("|")
        http.post(f"/programmes/{pid}/participants", json=body).raise_for_status()
    return rows / (time.monotonic() - started)


def main(rows: int = 10_000) -> None:
    text = export(rows)
    with throwaway_local_servers() as servers, running_services(
            servers, ROOT / ".local" / "logs" / "bench-import", database_prefix=f"bench_{uuid.uuid4().hex[:6]}_",
            names=("enrollment",)) as services, httpx.Client(base_url=services["enrollment"].url, timeout=600) as http:
        admin, hr = asyncio.run(tokens(servers))
        http.headers["Authorization"] = f"Bearer {hr}"
        as_admin = {"Authorization": f"Bearer {admin}"}
        per_request = baseline(http, 300, as_admin)
        pid = programme(http, f"BENCH-{uuid.uuid4().hex[:6]}", as_admin)
        started = time.monotonic()
        response = http.post(f"/programmes/{pid}/imports", content=text.encode(), headers={"content-type": "text/csv"})
        stored_s = time.monotonic() - started
        response.raise_for_status()
        report = response.json()
        enrolled = report["enrolled"]
        end_to_end_s = asyncio.run(events_for(servers, pid, enrolled, started))
        started = time.monotonic()
        again = http.post(f"/programmes/{pid}/imports", content=text.encode(), headers={"content-type": "text/csv"})
        again_s = time.monotonic() - started
        cli_pid = programme(http, f"BENCH-CLI-{uuid.uuid4().hex[:6]}", as_admin)
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
            f.write(text)
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "enrollment.entrypoints.cli", "import", f.name, "--programme", cli_pid,
                        "--url", services["enrollment"].url], check=True, capture_output=True,
                       env={**os.environ, "BINOME_TOKEN": hr})
        cli_s = time.monotonic() - started
    lines = [
        f"Export: {rows} rows, {len(text) / 1e6:.1f} MB, 15 countries; {enrolled} enrolled, "
        f"{len(report['rejected'])} rejected (e.g. {report['rejected'][0]['reason'] if report['rejected'] else '-'}).",
        "",
        "| measure | result |",
        "|---|---|",
        f"| baseline: one HTTP request per participant (300 rows) | {per_request:.0f} rows/s "
        f"(→ {rows / per_request:.0f} s for {rows} rows) |",
        f"| import over HTTP, until the report is back (all rows stored) | {stored_s:.1f} s "
        f"({rows / stored_s:.0f} rows/s, {(rows / stored_s) / per_request:.1f}× the baseline) |",
        f"| import end to end: until every ParticipantEnrolled is on Kafka | **{end_to_end_s:.1f} s** "
        "(target ≤ 30 s) |",
        f"| the same export again (all {again.json()['unchanged']} unchanged) | {again_s:.1f} s |",
        f"| command-line tool, 1,000 rows per request, progress bar | {cli_s:.1f} s |",
        "",
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
    ]
    write_section("Enrollment: HR import", "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
