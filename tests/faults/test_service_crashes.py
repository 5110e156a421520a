"""A service killed (a crash) or stopped (a deployment) in the middle of the flow, then started again."""

import json
import signal

from tests.faults.crashes import crash_each
from tests.faults.faults import restart
from tests.faults.scenario import Env, run
from tools.processes import SERVICES


async def test_each_service_killed_in_turn_mid_flow_and_restarted_loses_nothing_and_doubles_nothing(env: Env):
    starts = dict(env.fleet.starts)
    outcome = await run(env, "SIGKILL each service", crash_each)
    outcome.like(env.baseline)
    assert all(env.fleet.starts[s] == starts[s] + 1 for s in SERVICES), "each service was killed and restarted"
    # Each consumer was given work while it was down: its next process must have resumed it.
    assert set(outcome.recovery_s) == {"matching", "scheduling", "feedback"}, outcome.recovery_s
    assert all(seconds is not None for seconds in outcome.recovery_s.values()), outcome.recovery_s


async def test_a_service_stopped_gracefully_finishes_its_message_and_nothing_done_is_delivered_again(env: Env):
    outcome = await run(env, "SIGTERM feedback", restart(("feedback",), signal.SIGTERM))
    outcome.like(env.baseline)
    assert outcome.duplicates_absorbed == 0, "a message processed before the stop was delivered again"
    log = env.fleet.log_dir / f"feedback.{env.fleet.starts['feedback'] - 1}.log"
    stopped = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    assert not [e for e in stopped if "rewinding" in e["message"]], "in-flight work was abandoned"
    assert stopped[-1]["message"].startswith("Finished server process"), "the stop was not graceful"
