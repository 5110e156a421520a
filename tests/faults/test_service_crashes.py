"""A service killed (a crash) or stopped (a deployment) in the middle of the flow, then started again."""

import json
import signal

import pytest

from tests.faults.faults import restart
from tests.faults.scenario import Env, run
from tools.processes import SERVICES


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_killed_mid_flow_and_restarted_loses_nothing_and_doubles_nothing(env: Env, service: str):
    outcome = await run(env, f"SIGKILL {service}", restart(service, signal.SIGKILL))
    outcome.like(env.baseline)
    assert all(seconds is not None for seconds in outcome.recovery_s.values()), outcome.recovery_s


async def test_a_service_stopped_gracefully_finishes_its_message_and_nothing_done_is_delivered_again(env: Env):
    outcome = await run(env, "SIGTERM feedback", restart("feedback", signal.SIGTERM))
    outcome.like(env.baseline)
    assert outcome.duplicates_absorbed == 0, "a message processed before the stop was delivered again"
    stopped = [json.loads(line) for line in (env.fleet.log_dir / "feedback.1.log").read_text().splitlines()
               if line.startswith("{")]
    assert not [e for e in stopped if "rewinding" in e["message"]], "in-flight work was abandoned"
    assert stopped[-1]["message"].startswith("Finished server process"), "the stop was not graceful"
