"""The reference every scenario is compared with: the flow without faults reaches the intended state."""

from tests.faults.flow import CHUNK, PAIRS, SESSIONS
from tests.faults.scenario import Env


async def test_the_fault_free_flow_pairs_everyone_plans_their_sessions_and_invites_them_to_surveys(env: Env):
    reference = env.baseline
    state = reference.digest
    assert reference.acked == {"programme": 1, "import": 2 * PAIRS // CHUNK, "enrollment": 2 * PAIRS,
                               "completion": PAIRS}
    assert state["enrollment.participants"]["documents"] == 2 * PAIRS
    assert state["matching.candidates"]["documents"] == 2 * PAIRS
    assert state["matching.pairs"]["couples"] == [(f"J-{i:03d}", f"S-{i:03d}") for i in range(PAIRS)]
    assert state["scheduling.pairs"]["sessions"] == [
        ((1, "completed"), PAIRS), *(((n, "scheduled"), PAIRS) for n in range(2, SESSIONS + 1))]
    assert state["feedback.planned_sessions"]["documents"] == PAIRS * SESSIONS
    assert state["feedback.completed_sessions"]["documents"] == PAIRS
    assert state["feedback.invitations"]["documents"] == 2 * PAIRS
    assert state["outbox_pending"] == 0
    assert {t: e["distinct"] for t, e in reference.events.items()} == {
        "ProgrammeLaunched": 1, "ParticipantKey": 2 * PAIRS, "ParticipantEnrolled": 2 * PAIRS, "PairCreated": PAIRS,
        "SessionScheduled": PAIRS * SESSIONS, "SessionCompleted": PAIRS, "SurveyInvited": 2 * PAIRS}
    assert reference.dead_letters == 0 and reference.duplicates_absorbed == 0
