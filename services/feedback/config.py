from functools import lru_cache
from typing import Literal

from pydantic import Field

from shared.settings import BaseServiceSettings


class Settings(BaseServiceSettings):
    service_name: str = "feedback"
    http_port: int = 8004
    # A second, different answer to the same survey by the same respondent: refused (409) or replacing the first.
    survey_resubmission: Literal["refuse", "replace"] = "refuse"
    session_survey_days: int = Field(default=14, ge=1, description="how long a session survey stays open")
    end_survey_days: int = Field(default=30, ge=1, description="how long the end-of-programme survey stays open")
    # Groups (and figures) with fewer people than this are suppressed from reports and metrics.
    report_min_group_size: int = Field(default=5, ge=2)
    # Bounds the label values of the impact gauges.
    metrics_max_countries: int = Field(default=60, ge=1)
    # How long the broker may hold a fetch to fill it (bootstrap.py says why feedback waits and others do not).
    consumer_fetch_min_bytes: int = Field(default=65_536, ge=1)
    consumer_fetch_max_wait_ms: int = Field(default=500, ge=0, le=5_000)


@lru_cache
def get_settings() -> Settings:
    return Settings()
