"""One enrollment's trace, fetched from the real Jaeger's query API (deploy/local, built from the Go
module proxy): the W3C traceparent the client sent goes from enrollment's HTTP span through its
outbox into Kafka headers, and on through matching, scheduling and feedback as OS processes."""

import secrets

import httpx

from tests.factories import participant_request, programme_request
from tests.kafka_probe import TopicReader, eventually
from tools.on_demand import on_demand
from tools.processes import running_services
from tools.servers import ROOT, Servers

SERVICES = {"enrollment", "matching", "scheduling", "feedback"}


async def test_one_enrollment_trace_crosses_the_four_services(servers: Servers, run_id: str):
    trace_id, parent = secrets.token_hex(16), secrets.token_hex(8)
    with on_demand("jaeger") as jaeger:
        tracing = {"OTEL_EXPORTER_OTLP_ENDPOINT": jaeger["OTEL_EXPORTER_OTLP_ENDPOINT"],
                   "OTEL_TRACES_SAMPLER": "parentbased_always_on", "OTEL_BSP_SCHEDULE_DELAY": "200"}
        log_dir = ROOT / ".local" / "logs" / f"e2e-trace-{run_id}"
        with running_services(servers, log_dir, database_prefix=f"trace_{run_id}_", extra_env=tracing) as svc:
            async with httpx.AsyncClient(timeout=15) as http, \
                    TopicReader(servers.kafka_bootstrap_servers, ["scheduling.session-scheduled.v1"]) as kafka:
                enrollment = svc["enrollment"].url
                pid = (await http.post(f"{enrollment}/programmes", json=programme_request())).json()["programme_id"]
                await http.post(f"{enrollment}/programmes/{pid}/participants",
                                json=participant_request("J-1", "mentor", languages=["fr", "en"]))
                mentee = await http.post(f"{enrollment}/programmes/{pid}/participants",
                                         json=participant_request("S-1", "mentee", languages=["fr", "en"]),
                                         headers={"traceparent": f"00-{trace_id}-{parent}-01"})
                assert mentee.status_code == 201, mentee.text
                scheduled = await kafka.wait_for(lambda r: r.json().get("programme_id") == pid, timeout=90)
                assert scheduled, "the mentee's enrollment led to a pair and its sessions"
                assert scheduled[0].headers["traceparent"].split("-")[1] == trace_id, "the trace rides in Kafka headers"

            async with httpx.AsyncClient(base_url=jaeger["JAEGER_QUERY_URL"], timeout=10) as query:
                trace = await eventually(lambda: _trace_with_all_services(query, trace_id), timeout=120, interval=1)
    assert trace, f"Jaeger has no trace {trace_id} spanning {sorted(SERVICES)}"

    spans = {s["spanID"]: s for s in trace["spans"]}
    service_of = {sid: trace["processes"][s["processID"]]["serviceName"] for sid, s in spans.items()}
    assert set(service_of.values()) >= SERVICES
    feedback_reads_sessions = [sid for sid, s in spans.items() if service_of[sid] == "feedback"
                               and "session-scheduled" in s["operationName"]]
    assert feedback_reads_sessions, sorted(s["operationName"] for s in spans.values())
    chain = _ancestors(feedback_reads_sessions[0], spans)
    assert [service_of[sid] for sid in chain if sid in service_of][-1] == "enrollment"
    assert {"enrollment", "matching", "scheduling"} <= {service_of[sid] for sid in chain if sid in service_of}, \
        "feedback's span descends from scheduling's, matching's and enrollment's"
    root = spans[chain[-1]]
    assert root["references"][0]["spanID"] == parent, "the client's traceparent is the root's parent"


async def _trace_with_all_services(query: httpx.AsyncClient, trace_id: str) -> dict | None:
    response = await query.get(f"/api/traces/{trace_id}")
    if response.status_code != 200 or not response.json().get("data"):
        return None
    trace = response.json()["data"][0]
    services = {trace["processes"][s["processID"]]["serviceName"] for s in trace["spans"]}
    return trace if services >= SERVICES else None


def _ancestors(span_id: str, spans: dict[str, dict]) -> list[str]:
    chain = [span_id]
    while True:
        parents = [r["spanID"] for r in spans[chain[-1]]["references"] if r["refType"] == "CHILD_OF"]
        if not parents or parents[0] not in spans:
            return chain
        chain.append(parents[0])
