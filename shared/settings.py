"""Typed settings every service reads once from the environment."""

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
    # The relay is woken by commits; this sweep of the outbox markers only catches what a crashed
    # process left behind.
    outbox_sweep_interval_s: float = Field(default=60.0, gt=0)

    @property
    def database_name(self) -> str:
        return self.mongodb_database or f"{self.mongodb_database_prefix}{self.service_name}"
