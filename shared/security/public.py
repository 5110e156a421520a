"""The only operations that take no bearer token, the same in every service, and why each is harmless.

FastAPI's own `/docs` and `/openapi.json` (not in the OpenAPI document itself) are open for the same
reason as the event catalogue: they describe the contract, never anyone's data. Every other operation
declares a rule of its service's policy.py (tests/component/test_access_matrix.py checks both ways).
"""

PUBLIC = {
    "GET /health": "probes (kubelet, load balancers) carry no token; the answer is up/down per dependency",
    "GET /health/live": "the liveness probe (kubelet) carries no token; the answer is alive and the consumer's state",
    "GET /health/ready": "the readiness probe (kubelet, load balancers) carries no token; the answer is up/down for "
                         "the store",
    "GET /metrics": "Prometheus scrapes without a token; counters and gauges by programme and country, "
                    "no personal data",
    "GET /asyncapi.json": "the event catalogue, published like /openapi.json and docs/contracts: schemas, no data",
}
