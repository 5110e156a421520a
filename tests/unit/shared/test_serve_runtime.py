"""A service process runs on uvloop with its start-up objects frozen out of the garbage collector."""

import gc

import pytest
import uvicorn

from feedback.config import get_settings
from shared import serve


def test_a_service_process_serves_on_uvloop_after_freezing_what_it_built(monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[dict] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: runs.append({"app": app, **options}))
    monkeypatch.setenv("HTTP_PORT", "18999")
    get_settings.cache_clear()
    try:
        serve.main("feedback")
        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()
        get_settings.cache_clear()  # the other tests' settings, not this port's
    assert len(runs) == 1 and runs[0]["loop"] == "uvloop" and runs[0]["port"] == 18999
    assert frozen > 10_000  # the imports and the app: collections no longer walk them
    import uvloop  # the locked environment has it (uvicorn would fail at start otherwise)

    assert uvloop.new_event_loop() is not None
