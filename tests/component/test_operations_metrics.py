"""HTTP metrics label requests by route template and status; business gauges bound their labels;
the operations monitor keeps refreshing the others when one refresh fails."""

from collections import Counter

import httpx
from fastapi import FastAPI, HTTPException
from prometheus_client import CollectorRegistry

from shared.observability.business import BusinessGauges, Figure
from shared.observability.http import operations_router
from shared.observability.http_metrics import HttpMetrics, MeasuredHttp
from shared.observability.monitor import OperationsMonitor


def measured_app(registry: CollectorRegistry) -> FastAPI:
    app = FastAPI()
    app.add_middleware(MeasuredHttp, metrics=HttpMetrics.on(registry))
    app.include_router(operations_router(registry, {}))

    @app.get("/pairs/{pair_id}")
    async def pair(pair_id: str) -> dict[str, str]:
        if pair_id == "missing":
            raise HTTPException(404, "no such pair")
        if pair_id == "bug":
            raise RuntimeError("a bug")
        return {"pair_id": pair_id}

    return app


async def test_requests_are_counted_by_route_template_and_status_not_by_raw_path():
    registry = CollectorRegistry()
    transport = httpx.ASGITransport(app=measured_app(registry), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        for path in ("/pairs/a", "/pairs/b", "/pairs/missing", "/pairs/bug", "/nowhere", "/metrics"):
            await http.get(path)

    def count(route: str, status: str) -> float | None:
        return registry.get_sample_value("binome_http_requests_total",
                                         {"method": "GET", "route": route, "status": status})

    assert count("/pairs/{pair_id}", "200") == 2
    assert count("/pairs/{pair_id}", "404") == 1
    assert count("/pairs/{pair_id}", "500") == 1, "an unhandled error is counted as the 500 it becomes"
    assert count("unmatched", "404") == 1, "unknown paths share one label value"
    assert count("/metrics", "200") is None, "scrapes are not traffic"
    assert registry.get_sample_value("binome_http_request_duration_seconds_count",
                                     {"method": "GET", "route": "/pairs/{pair_id}"}) == 4


def test_business_gauges_fold_programmes_beyond_the_largest_into_other():
    registry = CollectorRegistry()
    gauges = BusinessGauges(registry, [Figure("binome_participants_enrolled", "enrolled")], max_programmes=2)
    gauges.show({"binome_participants_enrolled": Counter(
        {("p1", "FR"): 50, ("p2", "BR"): 30, ("p3", "FR"): 2, ("p4", "FR"): 1, ("p4", ""): 4})})

    def value(programme: str, country: str) -> float | None:
        return registry.get_sample_value("binome_participants_enrolled", {"programme": programme, "country": country})

    assert (value("p1", "FR"), value("p2", "BR")) == (50, 30)
    assert value("other", "FR") == 3 and value("other", "unknown") == 4
    assert value("p3", "FR") is None

    gauges.show({"binome_participants_enrolled": Counter({("p1", "FR"): 49})})
    assert value("p2", "BR") is None, "a programme that is gone leaves no stale series"


async def test_a_failing_refresh_does_not_stop_the_others():
    monitor = OperationsMonitor(CollectorRegistry())
    done: list[str] = []

    async def broken() -> None:
        raise ConnectionError("kafka down")

    async def fine() -> None:
        done.append("fine")

    monitor.add("broken", broken)
    monitor.add("fine", fine)
    await monitor.refresh_once()
    assert done == ["fine"]
