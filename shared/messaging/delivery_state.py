"""Whether a consumer is flowing or waiting for a dependency to come back, for /health and metrics."""

import time
from dataclasses import dataclass


@dataclass
class DeliveryState:
    waiting_since: float | None = None
    dependency: str | None = None
    last_error: str | None = None

    def waiting(self, dependency: str, error: BaseException) -> None:
        if self.waiting_since is None:
            self.waiting_since = time.monotonic()
        self.dependency, self.last_error = dependency, repr(error)[:300]

    def flowing(self) -> None:
        self.waiting_since = self.dependency = self.last_error = None

    def waited_s(self) -> float:
        return 0.0 if self.waiting_since is None else time.monotonic() - self.waiting_since

    def describe(self) -> dict[str, object]:
        if self.waiting_since is None:
            return {"state": "flowing"}
        return {"state": "waiting", "dependency": self.dependency, "waiting_s": round(self.waited_s(), 1),
                "last_error": self.last_error}
