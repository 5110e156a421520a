from functools import lru_cache

from shared.settings import BaseServiceSettings


class Settings(BaseServiceSettings):
    service_name: str = "enrollment"
    http_port: int = 8001


@lru_cache
def get_settings() -> Settings:
    return Settings()
