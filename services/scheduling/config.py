from datetime import timedelta
from functools import lru_cache

from pydantic import Field

from scheduling.domain.model import Timing
from shared.settings import BaseServiceSettings


class Settings(BaseServiceSettings):
    service_name: str = "scheduling"
    http_port: int = 8003
    reminder_before_minutes: int = Field(default=24 * 60, ge=1)
    inactive_after_days: float = Field(default=30, gt=0)
    inactivity_warning_days: float = Field(default=14, gt=0)
    # 0 turns the periodic task off (tests drive POST /operations/tick with their own clock).
    tick_interval_seconds: float = Field(default=60, ge=0)

    @property
    def timing(self) -> Timing:
        return Timing(timedelta(minutes=self.reminder_before_minutes), timedelta(days=self.inactive_after_days),
                      timedelta(days=self.inactivity_warning_days))


@lru_cache
def get_settings() -> Settings:
    return Settings()
