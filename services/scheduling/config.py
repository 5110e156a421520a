from functools import lru_cache

from shared.settings import BaseServiceSettings


class Settings(BaseServiceSettings):
    service_name: str = "scheduling"
    http_port: int = 8003


@lru_cache
def get_settings() -> Settings:
    return Settings()
