"""Measures each service's memory and CPU under a programme's worth of work: the figures behind the
Helm chart's requests and limits (deploy/helm/binome/values.yaml).

The four services as OS processes on the servers the tests would use (tools/servers.py); HR imports an export of
`rows` participants into one programme, matching pairs them, scheduling plans the sessions, feedback
prepares the invitations. Reports per service: resident memory after start-up, peak resident memory
(VmHWM), and CPU seconds used. Run: `uv run python -m bench.service_footprint [rows]`.
"""

import os
import platform
import sys
import time
import uuid
from pathlib import Path

import httpx

from bench.enrollment_import import programme
from bench.hr_export import export
from bench.report import write_section
from shared.contracts import SessionScheduled, topic_for
from tools.processes import running_services
from tools.servers import ROOT, acquire_servers


def status(pid: int) -> dict[str, int]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    cpu = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return {"rss_mib": int(fields["VmRSS"].split()[0]) // 1024, "peak_mib": int(fields["VmHWM"].split()[0]) // 1024,
            "cpu_s": (int(cpu[11]) + int(cpu[12])) // ticks}


def main(rows: int) -> None:
    import asyncio

    prefix = f"foot_{uuid.uuid4().hex[:6]}_"
    with acquire_servers() as servers, \
            running_services(servers, ROOT / ".local" / "logs" / "bench-footprint", database_prefix=prefix) as svc:
        idle = {name: status(s.process.pid) for name, s in svc.items()}
        with httpx.Client(base_url=svc["enrollment"].url, timeout=600) as http:
            pid = programme(http, f"FOOT-{uuid.uuid4().hex[:6]}")
            started = time.monotonic()
            text = export(rows, seed=5)
            http.post(f"/programmes/{pid}/imports", content=text.encode(),
                      headers={"content-type": "text/csv"}).raise_for_status()
        # Sessions scheduled for the programme: the flow reached scheduling (and feedback reads them too).
        scheduled = asyncio.run(_scheduled(servers.kafka_bootstrap_servers, pid, started))
        time.sleep(5)  # lets feedback and the relays finish what they read; only the peak is used
        busy = {name: status(s.process.pid) for name, s in svc.items()}
    lines = ["| service | RSS after start (MiB) | peak RSS (MiB) | CPU used (s) |", "|---|---|---|---|"]
    lines += [f"| {n} | {idle[n]['rss_mib']} | {busy[n]['peak_mib']} | {busy[n]['cpu_s'] - idle[n]['cpu_s']} |"
              for n in svc]
    load = os.getloadavg()
    body = (f"{rows} participants imported into one programme, paired, sessions planned "
            f"({scheduled:.0f} s to the first sessions on Kafka).\n\n" + "\n".join(lines) +
            f"\n\nMachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
            f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} during the run. "
            "Requests in the chart: the peak rounded up; limits: room for larger imports and rounds.")
    print(body)
    write_section("Service footprint (Helm requests and limits)", body)


async def _scheduled(bootstrap: str, programme_id: str, started: float) -> float:
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(topic_for(SessionScheduled), bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                group_id=f"bench-{uuid.uuid4().hex[:6]}")
    await consumer.start()
    try:
        needle = f'"programme_id":"{programme_id}"'.encode()
        while time.monotonic() - started < 600:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                if any(needle in r.value for r in records):
                    return time.monotonic() - started
    finally:
        await consumer.stop()
    raise RuntimeError("no session scheduled within 600 s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
