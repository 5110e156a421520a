"""A benchmark's throwaway servers keep their logs when the run fails, and say where."""

import subprocess
from pathlib import Path

import pytest

from tools import servers


@pytest.fixture
def infra(monkeypatch):
    """deploy/local/infra.sh as a fake: `start` writes each server's log where BINOME_LOGS says."""
    calls: list[tuple[str, ...]] = []

    def fake(*args, check=True, env=None):
        calls.append(args)
        if args[0] == "start":
            logs = Path(env["BINOME_LOGS"])
            logs.mkdir(parents=True, exist_ok=True)
            for name in args[1:]:
                (logs / f"{name}.log").write_text(f"{name} started\n")
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(servers, "_infra", fake)
    return calls


def test_a_run_that_succeeds_removes_the_servers_logs(infra, tmp_path, capsys):
    logs = tmp_path / "servers"
    with servers.throwaway_infra(("kafka", "ferretdb"), {}, logs=logs) as env:
        assert env["BINOME_LOGS"] == str(logs) and (logs / "ferretdb.log").exists()
    assert not logs.exists()
    assert str(logs) in capsys.readouterr().err  # named at the start, for a run killed part-way
    assert [c[0] for c in infra] == ["start", "stop"]


def test_a_run_that_fails_keeps_the_servers_logs_and_says_where(infra, tmp_path, capsys):
    logs = tmp_path / "servers"
    with pytest.raises(RuntimeError, match="stalled"), servers.throwaway_infra(("ferretdb",), {}, logs=logs):
        raise RuntimeError("stalled")
    assert (logs / "ferretdb.log").read_text() == "ferretdb started\n"
    assert f"the run failed: servers' logs kept in {logs}" in capsys.readouterr().err
    assert [c[0] for c in infra] == ["start", "stop"]


def test_keep_logs_keeps_them_after_a_run_that_succeeds(infra, tmp_path):
    logs = tmp_path / "servers"
    with servers.throwaway_infra(("kafka",), {}, logs=logs, keep_logs=True):
        pass
    assert (logs / "kafka.log").exists()


def test_a_run_interrupted_by_ctrl_c_keeps_them(infra, tmp_path):
    logs = tmp_path / "servers"
    with pytest.raises(KeyboardInterrupt), servers.throwaway_infra(("kafka",), {}, logs=logs):
        raise KeyboardInterrupt
    assert (logs / "kafka.log").exists()
