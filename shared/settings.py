"""Typed settings every service reads once from the environment."""

import socket

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class BaseServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    service_name: str
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    mongodb_url: str = "mongodb://127.0.0.1:27117"
    # Empty means "binome_<service>"; tests set a prefix to isolate runs on one server.
    mongodb_database: str = ""
    mongodb_database_prefix: str = "binome_"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    log_level: str = "INFO"
    consumer_max_attempts: int = Field(default=3, ge=1, le=20)
    consumer_retry_backoff_ms: int = Field(default=200, ge=0)
    outbox_poll_interval_ms: int = Field(default=500, ge=10)
    # Delivery under faults (shared/messaging/broker.py says why each value).
    consumer_transient_retry_s: float = Field(default=30.0, gt=0)
    consumer_transient_backoff_max_ms: int = Field(default=5000, ge=10)
    # Static group membership: a restarted process with the same id takes its partitions back without a
    # rebalance. Unset: "<service>-<host name>"; empty: dynamic membership (a temporary extra replica).
    consumer_instance_id: str | None = None
    consumer_session_timeout_ms: int = Field(default=45_000, ge=6_000, le=1_800_000)
    consumer_heartbeat_interval_ms: int = Field(default=3_000, ge=100)
    consumer_max_poll_interval_ms: int = Field(default=300_000, ge=10_000)

    @property
    def database_name(self) -> str:
        return self.mongodb_database or f"{self.mongodb_database_prefix}{self.service_name}"

    @property
    def group_instance_id(self) -> str | None:
        if self.consumer_instance_id is None:
            return f"{self.service_name}-{socket.gethostname()}"
        return self.consumer_instance_id or None
