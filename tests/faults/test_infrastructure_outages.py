"""The broker or the store killed in the middle of the flow, then started again on the same data."""

from tests.faults.faults import outage
from tests.faults.scenario import Env, run


async def test_a_broker_killed_mid_flow_loses_nothing_and_the_services_resume_when_it_returns(env: Env):
    outcome = await run(env, "SIGKILL broker", outage("kafka", down_s=5))
    outcome.like(env.baseline)
    assert all(seconds is not None for seconds in outcome.recovery_s.values()), outcome.recovery_s


async def test_a_store_killed_mid_flow_dead_letters_nothing_and_the_services_resume_when_it_returns(env: Env):
    # Down longer than the consumers' in-place wait (CONSUMER_TRANSIENT_RETRY_S=10 here): offsets are rewound.
    outcome = await run(env, "SIGKILL store", outage("ferretdb", down_s=15))
    outcome.like(env.baseline)
    assert outcome.dead_letters == 0
    assert all(seconds is not None for seconds in outcome.recovery_s.values()), outcome.recovery_s
