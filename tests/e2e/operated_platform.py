"""The four services as OS processes, traced into the real Jaeger and scraped by the real Prometheus
(both from deploy/local, built through the Go module proxy), driven through one programme with real
tokens, each step by its role: the admin launches, HR's system enrolls two people (the mentee with a
client traceparent), the programme's manager completes a session; a 404, and a poison message.
Prometheus scrapes /metrics without a token (shared/security/public.py). Shared by the tracing and the
Prometheus tests so the services start once."""

import contextlib
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx

from shared.security import PLATFORM_ADMIN, PROGRAMME_MANAGER
from tests.factories import participant_request, programme_request
from tests.kafka_probe import Record, TopicReader, publish_raw
from tools.identity import Identity
from tools.on_demand import on_demand
from tools.processes import running_services
from tools.servers import ROOT, Servers


@dataclass(frozen=True)
class OperatedPlatform:
    programme: str
    trace_id: str
    client_span: str
    scheduled: list[Record]
    prometheus_url: str
    jaeger_url: str


@contextlib.asynccontextmanager
async def operated_platform(servers: Servers, run_id: str, people: Identity) -> AsyncIterator[OperatedPlatform]:
    trace_id, client_span = secrets.token_hex(16), secrets.token_hex(8)
    admin, hr = await people.headers(PLATFORM_ADMIN), await people.hr_headers()
    with on_demand("jaeger") as jaeger, \
            on_demand("prometheus", env={"BINOME_PROMETHEUS_SCRAPE_INTERVAL": "1s"}) as prometheus:
        env = {"OTEL_EXPORTER_OTLP_ENDPOINT": jaeger["OTEL_EXPORTER_OTLP_ENDPOINT"],
               "OTEL_TRACES_SAMPLER": "parentbased_always_on", "OTEL_BSP_SCHEDULE_DELAY": "200",
               "METRICS_REFRESH_INTERVAL_S": "1", "OUTBOX_SWEEP_INTERVAL_S": "1"}
        log_dir = ROOT / ".local" / "logs" / f"e2e-operations-{run_id}"
        with running_services(servers, log_dir, database_prefix=f"ops_{run_id}_", extra_env=env,
                              timeout_s=240) as svc:
            async with httpx.AsyncClient(timeout=15) as http, \
                    TopicReader(servers, ["scheduling.session-scheduled.v1"], "enterprise-subscriber") as kafka:
                enrollment = svc["enrollment"].url
                launched = await http.post(f"{enrollment}/programmes", json=programme_request(), headers=admin)
                assert launched.status_code == 201, launched.text
                pid = launched.json()["programme_id"]
                # Both in the client's trace: whichever enrollment matching applies second makes the pair (a
                # sealed event read before its key is put back, so the two may be applied in either order).
                traced = {"traceparent": f"00-{trace_id}-{client_span}-01", **hr}
                mentor = await http.post(f"{enrollment}/programmes/{pid}/participants", headers=traced,
                                         json=participant_request("J-1", "mentor", languages=["fr", "en"]))
                mentee = await http.post(f"{enrollment}/programmes/{pid}/participants",
                                         json=participant_request("S-1", "mentee", languages=["fr", "en"]),
                                         headers=traced)
                assert (mentor.status_code, mentee.status_code) == (201, 201), mentee.text
                assert (await http.get(f"{enrollment}/programmes/{pid}/nowhere", headers=admin)).status_code == 404
                scheduled = await kafka.wait_for(lambda r: r.json().get("programme_id") == pid, timeout=90)
                assert scheduled, "the mentee's enrollment led to a pair and its sessions"
                session = scheduled[0].json()["session_id"]
                manager = await people.headers(PROGRAMME_MANAGER, programmes=[pid])
                done = await http.post(f"{svc['scheduling'].url}/sessions/{session}/completion",
                                       json={"actual_minutes": 50}, headers=manager)
                assert done.status_code == 200, done.text
            await publish_raw(servers, "enrollment.participant-enrolled.v2",
                              f"poison-{run_id}".encode(), b"\x00 not an event")
            yield OperatedPlatform(pid, trace_id, client_span, scheduled, prometheus["PROMETHEUS_URL"],
                                   jaeger["JAEGER_QUERY_URL"])
