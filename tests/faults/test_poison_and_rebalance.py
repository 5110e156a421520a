"""Poison on every consumed topic while the flow runs; a second instance joining and leaving a group."""

import json

from shared.contracts import PairCreated, topic_for
from tests.faults.faults import poison, poison_kinds, second_instance
from tests.faults.scenario import Env, run


async def test_poison_of_every_kind_on_every_consumed_topic_is_dead_lettered_and_the_flow_goes_on(env: Env):
    outcome = await run(env, "poison", poison)
    assert outcome.expected_dead_letters >= len(poison_kinds(topic_for(PairCreated))) * 17
    outcome.like(env.baseline)


async def test_a_rebalance_mid_flow_loses_no_event_and_repeats_none_beyond_what_the_inbox_absorbs(env: Env):
    outcome = await run(env, "rebalance feedback", second_instance("feedback"))
    outcome.like(env.baseline)
    extra = [json.loads(line) for line in (env.fleet.log_dir / "feedback-2.1.log").read_text().splitlines()
             if line.startswith("{")]
    assert [e for e in extra if e["message"].startswith("processed ")], "the second instance never got partitions"
