"""Each service SIGKILLed in turn with work for it on the way, then started again.

The fault closes the flow's gate before the second half of the enrollments is sent. Each service is
killed, inputs that give it work are let through while it is down, and it is started again once they
are in hand (acknowledged, or for the service that answers them, retried against the dead process):
only its next process can do that work, so every restart must show the service resuming it (recovery
measured from its start, never null), also on a fast machine where an ungated flow was over before the
consumers were killed. Each kill lands right after the previous service's work was let through.
"""

import asyncio
import signal
import time
from collections import Counter

from tests.faults.flow import CHUNK, PAIRS, Flow
from tests.faults.scenario import Env, Returned

# What each service is given to do while it is down, in the order they are killed; the last one opens the gate.
FEEDS = (("enrollment", "import"),  # an import retried against the dead service, acknowledged by its next process
         ("matching", "import"),  # enrollments waiting for it on Kafka
         ("scheduling", "import"),  # the pairs matching makes of those enrollments
         ("feedback", "completion"))  # first sessions completed at scheduling
ANSWERED_BY = {"import": "enrollment", "completion": "scheduling"}
IMPORTS_HELD = -(-PAIRS // CHUNK)  # imports per half of the flow (each half is PAIRS rows)
assert IMPORTS_HELD >= 3, "the crash scenario needs three held imports: BINOME_FAULTS_PAIRS of 41 or more"


async def crash_each(env: Env, flow: Flow) -> Returned:
    await flow.gate.close()
    assert flow.passed["import"] == IMPORTS_HELD, "an import of the second half passed before the gate closed"
    back: dict[str, float] = {}
    for service, kind in FEEDS:
        await asyncio.to_thread(env.fleet.signal, service, signal.SIGKILL)
        target, tries = flow.passed[kind] + 1, flow.retried[kind]
        await (flow.gate.open() if kind == "completion" else flow.gate.allow(1))
        if ANSWERED_BY[kind] == service:
            await _reaches(flow.retried, kind, tries + 1, f"no {kind} tried against the dead {service}")
        else:  # this one and every input let through before it
            await _reaches(flow.acked, kind, target, f"the {kind} let through was not acknowledged")
        env.fleet.start(service)
        back[service] = time.time()
        await asyncio.to_thread(env.fleet.wait_healthy, service)
    await flow.gate.open()
    return Returned(back["enrollment"], ("matching", "scheduling", "feedback"), back)


async def _reaches(counter: Counter[str], kind: str, count: int, failure: str, deadline_s: float = 600) -> None:
    deadline = time.monotonic() + deadline_s
    while counter[kind] < count:
        assert time.monotonic() < deadline, failure
        await asyncio.sleep(0.1)
