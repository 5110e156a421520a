import uuid
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from feedback.domain import figures
from feedback.domain.impact import build_report
from tests.factories import profile
from tests.fakes.feedback import FakeFeedbackUnitOfWork
from tests.feedback_scenario import programme
from tests.unit.feedback.drive import feed

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@given(st.lists(st.integers(0, 10), min_size=1, max_size=200))
def test_nps_is_the_share_of_promoters_minus_the_share_of_detractors(scores):
    result = figures.nps("nps", scores)
    promoters = len([s for s in scores if s in (9, 10)])
    detractors = len([s for s in scores if s <= 6])
    assert result.n == len(scores) and -100 <= result.value <= 100
    assert abs(result.value - 100 * (promoters - detractors) / len(scores)) < 0.051


def test_a_figure_from_fewer_than_k_people_is_withheld_with_its_sample_size():
    assert figures.rate("r", [True] * 4).anonymised(5) == figures.Figure("r", None, 0, True)
    assert figures.rate("r", [True] * 4 + [False]).anonymised(5).value == 0.8


async def _report(k: int = 5, **kwargs):
    uow = FakeFeedbackUnitOfWork()
    sc = programme(**kwargs)
    await feed(sc, uow)
    return sc, build_report(sc.programme_id, await uow.impact.evidence(sc.programme_id), k, NOW)


async def test_the_report_has_a_group_per_programme_country_cohort_and_role():
    sc, report = await _report(pairs=24, countries=("FR", "DE", "BR"))
    assert {(g.dimension, g.value) for g in report.groups} == {
        ("programme", "all"), ("country", "FR"), ("country", "DE"), ("country", "BR"),
        ("cohort", "2026-03"), ("cohort", "2026-04"), ("role", "mentor"), ("role", "mentee")}
    overall = report.group("programme", "all")
    assert overall.participants == len(sc.enrolled)


async def test_a_group_smaller_than_k_is_suppressed_whole():
    _, report = await _report(pairs=12, countries=("FR", "FR", "FR", "FR", "FR", "LU"))
    luxembourg = report.group("country", "LU")  # 2 pairs = 4 people
    assert luxembourg.suppressed and luxembourg.participants == 0 and luxembourg.figures == ()
    assert not report.group("country", "FR").suppressed


async def test_figures_match_the_answers_given():
    sc, report = await _report(pairs=30, k=2)
    overall = {f.name: f for f in report.group("programme", "all").figures}
    ends = sc.end_answers
    assert overall["recommendation_rate"].n == len(ends)
    assert overall["recommendation_rate"].value == round(sum(b["would_recommend"] for b in ends) / len(ends), 3)
    assert overall["nps"].value == figures.nps("nps", [b["nps"] for b in ends]).value
    invitations = 2 * len(sc.completed) + 2 * len(sc.ended)
    answered = len(sc.session_answers) + len(ends)
    assert (overall["invitations"].value, overall["response_rate"].value) == (
        invitations, round(answered / invitations, 3))
    assert (overall["sessions_planned"].value, overall["sessions_completed"].value) == (
        2 * len(sc.scheduled), 2 * len(sc.completed))
    assert overall["completion_rate"].value == round(len(sc.completed) / len(sc.scheduled), 3)


async def test_skill_uplift_is_the_mean_of_after_minus_the_proficiency_given_at_enrollment():
    sc, report = await _report(pairs=30, k=2)
    enrolled = {str(e.participant_id): {s.topic: s.proficiency for s in profile(e).skills} for e in sc.enrolled}
    deltas = [s["proficiency"] - enrolled[b["respondent_id"]][s["topic"]]
              for b in sc.end_answers for s in b["skills"] if s["topic"] == "copilot"]
    copilot = next(f for f in report.group("programme", "all").skill_uplift if f.name == "copilot")
    assert (copilot.value, copilot.n) == (round(sum(deltas) / len(deltas), 3), len(deltas))
    seniors = next(f for f in report.group("role", "mentee").skill_uplift if f.name == "copilot")
    assert seniors.value > 0, "seniors start lower on AI tools and answer higher after the programme"


async def test_attitude_change_pairs_the_end_answers_with_the_first_session_survey():
    sc, report = await _report(pairs=30, k=2)
    first = {b["respondent_id"]: {a["item"]: a["score"] for a in b["attitudes"]}
             for b in sc.session_answers if "attitudes" in b}
    changes = []
    for b in sc.end_answers:
        before = first.get(b["respondent_id"])
        if before:
            diffs = [a["score"] - before[a["item"]] for a in b["attitudes"]]
            changes.append(sum(diffs) / len(diffs))
    change = next(f for f in report.group("programme", "all").figures if f.name == "attitude_change")
    assert change.n == len(changes) and change.value == round(sum(changes) / len(changes), 3)


async def test_a_participant_feedback_never_saw_enrol_is_reported_under_the_pair_country_and_unknown_cohort():
    uow = FakeFeedbackUnitOfWork()
    sc = programme(pairs=3, countries=("PT",))
    sc.enrolled = []
    await feed(sc, uow)
    report = build_report(sc.programme_id, await uow.impact.evidence(sc.programme_id), 5, NOW)
    assert report.group("cohort", "unknown").participants == 6
    assert report.group("country", "PT").participants == 6
    assert report.programme_id == sc.programme_id and isinstance(report.programme_id, uuid.UUID)
