"""Measures each service's memory and CPU under a programme's worth of work: the figures behind the
Helm chart's requests and limits (deploy/helm/binome/values.yaml).

The four services as OS processes on the servers the tests would use (tools/servers.py); HR imports an export of
`rows` participants into one programme (the admin launches it, HR's client imports, with Keycloak
tokens), matching pairs them, scheduling plans the sessions, feedback
prepares the invitations. Reports per service: resident memory after start-up, peak resident memory
(VmHWM), and CPU seconds used. Run: `uv run python -m bench.service_footprint [rows]`.
"""

import asyncio
import os
import platform
import sys
import time
import uuid
from pathlib import Path

import httpx

from bench.enrollment_import import programme, tokens
from bench.hr_export import export
from bench.report import write_section
from tools.processes import running_services
from tools.servers import ROOT, Servers, acquire_servers


def status(pid: int) -> dict[str, float]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    cpu = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return {"rss_mib": int(fields["VmRSS"].split()[0]) // 1024, "peak_mib": int(fields["VmHWM"].split()[0]) // 1024,
            "cpu_s": round((int(cpu[11]) + int(cpu[12])) / ticks, 1)}


def main(rows: int) -> None:
    prefix = f"foot_{uuid.uuid4().hex[:6]}_"
    with acquire_servers() as servers, \
            running_services(servers, ROOT / ".local" / "logs" / "bench-footprint", database_prefix=prefix) as svc:
        idle = {name: status(s.process.pid) for name, s in svc.items()}
        admin, hr = asyncio.run(tokens(servers))
        with httpx.Client(base_url=svc["enrollment"].url, timeout=600) as http:
            pid = programme(http, f"FOOT-{uuid.uuid4().hex[:6]}", {"Authorization": f"Bearer {admin}"})
            started = time.monotonic()
            text = export(rows, seed=5)
            http.post(f"/programmes/{pid}/imports", content=text.encode(),
                      headers={"content-type": "text/csv", "Authorization": f"Bearer {hr}"}).raise_for_status()
        settled = asyncio.run(_settled(servers, started))
        busy = {name: status(s.process.pid) for name, s in svc.items()}
    lines = ["| service | RSS after start (MiB) | peak RSS (MiB) | CPU used (s) |", "|---|---|---|---|"]
    lines += [f"| {n} | {idle[n]['rss_mib']} | {busy[n]['peak_mib']} | {busy[n]['cpu_s'] - idle[n]['cpu_s']:.1f} |"
              for n in svc]
    load = os.getloadavg()
    body = (f"{rows} participants imported into one programme, paired, sessions planned "
            f"(the flow settled in every consuming service after {settled:.0f} s).\n\n" + "\n".join(lines) +
            f"\n\nMachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} during the run. "
            "Requests in the chart: the peak rounded up; limits: room for larger imports and rounds.")
    print(body)
    write_section("Service footprint (Helm requests and limits)", body)


async def _settled(servers: Servers, started: float,
                   groups: tuple[str, ...] = ("matching", "scheduling", "feedback"), timeout_s: float = 1200) -> float:
    """Seconds until every consuming service has committed everything on the topics it reads,
    twice in a row (the flow has gone through matching, scheduling and feedback)."""
    from aiokafka import AIOKafkaConsumer
    from aiokafka.admin import AIOKafkaAdminClient

    bootstrap, credentials = servers.kafka_bootstrap_servers, servers.kafka_as("admin").client_kwargs()
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, **credentials)
    ends = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, **credentials)
    await admin.start()
    await ends.start()
    try:
        quiet = 0
        while time.monotonic() - started < timeout_s:
            lag = 0
            for group in groups:
                committed = await admin.list_consumer_group_offsets(group)
                latest = await ends.end_offsets(list(committed))
                lag += sum(latest[tp] - meta.offset for tp, meta in committed.items() if meta.offset >= 0)
            quiet = quiet + 1 if lag == 0 else 0
            if quiet == 2:
                return time.monotonic() - started
            await asyncio.sleep(1)
    finally:
        await ends.stop()
        await admin.close()
    raise RuntimeError(f"the flow did not settle within {timeout_s:.0f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
