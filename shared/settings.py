"""Typed settings every service reads once from the environment."""

import socket
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.security.principal import ClaimNames
from shared.security.verifier import ASYMMETRIC


class BaseServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    service_name: str
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    # The local broker (deploy/local) runs SASL/SCRAM with one principal per service; see the README.
    kafka_security_protocol: Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL", "SSL"] = "SASL_PLAINTEXT"
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] = "SCRAM-SHA-512"
    kafka_sasl_username: str = ""  # empty: the service's name
    kafka_sasl_password: str = Field(default="", repr=False)
    kafka_ssl_cafile: str = ""  # SASL_SSL/SSL: a CA bundle other than the system's
    mongodb_url: str = "mongodb://127.0.0.1:27117"
    # Empty means "binome_<service>"; tests set a prefix to isolate runs on one server.
    mongodb_database: str = ""
    mongodb_database_prefix: str = "binome_"
    # Bounds on every wait for the store, so a wedged one gives timeout errors (retried, or 503) rather than
    # handlers and probes that never return (shared/mongo/client.py). The round trip's bound is far above
    # any single command the services send (an import's 500-row insert, 20 bulk updates, a cursor batch);
    # the readiness ping's is below the probe's 3 s. 0 for the socket: no bound.
    mongodb_server_selection_timeout_ms: int = Field(default=5_000, ge=100)
    mongodb_connect_timeout_ms: int = Field(default=5_000, ge=100)
    mongodb_socket_timeout_ms: int = Field(default=120_000, ge=0)
    mongodb_ready_timeout_ms: int = Field(default=2_000, ge=100, le=2_900)
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    log_level: str = "INFO"
    consumer_max_attempts: int = Field(default=3, ge=1, le=20)
    consumer_retry_backoff_ms: int = Field(default=200, ge=0)
    # A message put back because its data key has not arrived on the key topic is dead-lettered after this
    # long (the key lost, or this service not granted the key topic); tools/dlq replays it once fixed.
    consumer_deferred_max_s: float = Field(default=3600.0, gt=0)
    # False: no per-message and per-request metrics, no background refresh (the overhead benchmark's
    # baseline); /metrics then serves the delivery counters only.
    metrics_enabled: bool = True
    # Consumer lag, outbox age, dependency health and business gauges are refreshed this often.
    metrics_refresh_interval_s: float = Field(default=15.0, gt=0)
    metrics_max_programmes: int = Field(default=20, ge=1)
    # Delivery under faults (shared/messaging/broker.py says why each value).
    consumer_transient_retry_s: float = Field(default=30.0, gt=0)
    consumer_transient_backoff_max_ms: int = Field(default=5000, ge=10)
    # Static group membership: a restarted process with the same id takes its partitions back without a
    # rebalance. Unset: "<service>-<host name>"; empty: dynamic membership (a temporary extra replica).
    consumer_instance_id: str | None = None
    consumer_session_timeout_ms: int = Field(default=45_000, ge=6_000, le=1_800_000)
    consumer_heartbeat_interval_ms: int = Field(default=3_000, ge=100)
    consumer_max_poll_interval_ms: int = Field(default=300_000, ge=10_000)
    # The most the producers' and this host's clocks may disagree: an event that occurred this long after
    # its partition was assigned is checked in the process's memory, not the store (shared/messaging/inbox.py).
    consumer_inbox_clock_skew_s: float = Field(default=5.0, ge=0, le=86_400)
    # The relay is woken by commits; this sweep of the outbox markers only catches what a crashed
    # process left behind.
    outbox_sweep_interval_s: float = Field(default=60.0, gt=0)
    # Outboxes whose events all left but that no write rewrote since are emptied by the sweep, this many
    # per sweep: each costs the store a read and a rewrite, so a large backlog is paced, not paid at once.
    outbox_tidy_per_sweep: int = Field(default=16, ge=0, le=10_000)
    # Bearer tokens (OIDC): Keycloak, Entra ID, Okta... The README says what to set for each.
    oidc_issuer_url: str = "http://127.0.0.1:18080/realms/binome"
    oidc_audience: str = "binome-api"
    oidc_jwks_url: str = ""  # empty: from the issuer's /.well-known/openid-configuration
    oidc_algorithms: str = "RS256"  # comma-separated; asymmetric signatures only
    oidc_leeway_seconds: int = Field(default=30, ge=0, le=300)
    oidc_roles_claim: str = "roles"  # dotted paths reach nested claims, e.g. realm_access.roles
    oidc_countries_claim: str = "binome_countries"
    oidc_programmes_claim: str = "binome_programmes"
    oidc_participant_claim: str = "binome_participant_ids"

    @field_validator("oidc_algorithms")
    @classmethod
    def _asymmetric_only(cls, value: str) -> str:
        algorithms = {a.strip() for a in value.split(",") if a.strip()}
        if not algorithms or algorithms - ASYMMETRIC:
            raise ValueError(f"only asymmetric signature algorithms ({', '.join(sorted(ASYMMETRIC))}), "
                             f"never none or HS*: got {value!r}")
        return value

    @property
    def database_name(self) -> str:
        return self.mongodb_database or f"{self.mongodb_database_prefix}{self.service_name}"

    @property
    def group_instance_id(self) -> str | None:
        if self.consumer_instance_id is None:
            return f"{self.service_name}-{socket.gethostname()}"
        return self.consumer_instance_id or None

    @property
    def kafka_username(self) -> str:
        return self.kafka_sasl_username or self.service_name

    @property
    def token_algorithms(self) -> frozenset[str]:
        return frozenset(a.strip() for a in self.oidc_algorithms.split(",") if a.strip())

    @property
    def claim_names(self) -> ClaimNames:
        return ClaimNames(self.oidc_roles_claim, self.oidc_countries_claim, self.oidc_programmes_claim,
                          self.oidc_participant_claim)
