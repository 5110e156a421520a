"""The impact report of one programme, per country, cohort and role, with small groups suppressed.

Every figure is computed per participant, so a group is a set of participants: its invitations,
answers and sessions are theirs. A participant's country, cohort (month of enrollment) and role
come from their enrollment; a participant feedback never saw enrol falls back to the country and
role of their pair and the cohort "unknown".
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from feedback.domain import figures
from feedback.domain.end_survey import EndSurvey
from feedback.domain.figures import Figure
from feedback.domain.invitations import Invitation
from feedback.domain.model import CompletedSession, Survey
from feedback.domain.participants import Participant, PlannedSession

DIMENSIONS = ("programme", "country", "cohort", "role")
COHORT_DEFINITION = "calendar month (UTC) of enrollment, YYYY-MM"


@dataclass(frozen=True)
class Profile:
    country: str
    cohort: str
    role: str


@dataclass
class Evidence:
    """Everything feedback stored about one programme."""

    participants: list[Participant] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)
    session_surveys: list[Survey] = field(default_factory=list)
    end_surveys: list[EndSurvey] = field(default_factory=list)
    planned: list[PlannedSession] = field(default_factory=list)
    completed: list[CompletedSession] = field(default_factory=list)


@dataclass(frozen=True)
class Group:
    dimension: str
    value: str
    participants: int
    suppressed: bool
    figures: tuple[Figure, ...] = ()
    skill_uplift: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class ImpactReport:
    programme_id: UUID
    generated_at: datetime
    min_group_size: int
    groups: tuple[Group, ...]
    cohort_definition: str = COHORT_DEFINITION

    def group(self, dimension: str, value: str) -> Group | None:
        return next((g for g in self.groups if (g.dimension, g.value) == (dimension, value)), None)


def profiles(ev: Evidence) -> dict[UUID, Profile]:
    found: dict[UUID, Profile] = {}
    for inv in ev.invitations:
        found.setdefault(inv.respondent_id, Profile(inv.country, "unknown", inv.respondent_role))
    for s in ev.completed:
        for member, role in s.members:
            found.setdefault(member, Profile(s.country, "unknown", role))
    for p in ev.participants:
        found[p.participant_id] = Profile(p.country, p.cohort, p.role)
    return found


def build_report(programme_id: UUID, ev: Evidence, k: int, now: datetime) -> ImpactReport:
    who = profiles(ev)
    keys: dict[str, Callable[[Profile], str]] = {
        "programme": lambda _: "all", "country": lambda p: p.country, "cohort": lambda p: p.cohort,
        "role": lambda p: p.role}
    groups = []
    for dimension in DIMENSIONS:
        members: dict[str, set[UUID]] = defaultdict(set)
        for pid, profile in who.items():
            members[keys[dimension](profile)].add(pid)
        for value in sorted(members):
            groups.append(_group(dimension, value, members[value], ev, k))
    return ImpactReport(programme_id, now, k, tuple(groups))


def _group(dimension: str, value: str, ids: set[UUID], ev: Evidence, k: int) -> Group:
    if len(ids) < k:
        return Group(dimension, value, 0, True)
    invitations = [i for i in ev.invitations if i.respondent_id in ids]
    answered = {s.survey_id for s in ev.session_surveys} | {s.survey_id for s in ev.end_surveys}
    sessions = [s for s in ev.session_surveys if s.respondent_id in ids]
    ends = [s for s in ev.end_surveys if s.respondent_id in ids]
    planned, completed = _sessions(ids, ev)
    with_plan = [p for p in ids if planned.get(p)]
    found = (
        figures.total("invitations", [len(invitations)], len(ids)),
        figures.rate("response_rate", [i.survey_id in answered for i in invitations]),
        figures.total("sessions_planned", (len(planned.get(p, ())) for p in ids), len(with_plan)),
        figures.total("sessions_completed", (len(completed.get(p, ())) for p in ids), len(with_plan)),
        figures.Figure("completion_rate", *_completion(with_plan, planned, completed)),
        figures.mean("session_usefulness", [s.rating for s in sessions]),
        figures.rate("recommendation_rate", [s.would_recommend for s in ends]),
        figures.nps("nps", [s.nps for s in ends]),
        figures.mean("attitude_change", _attitude_changes(ends)),
    )
    return Group(dimension, value, len(ids), False, tuple(f.anonymised(k) for f in found),
                 tuple(f.anonymised(k) for f in _skill_uplift(ends)))


def _sessions(ids: set[UUID], ev: Evidence) -> tuple[dict[UUID, set[UUID]], dict[UUID, set[UUID]]]:
    planned: dict[UUID, set[UUID]] = defaultdict(set)
    completed: dict[UUID, set[UUID]] = defaultdict(set)
    for s in ev.planned:
        for member in (s.mentor_id, s.mentee_id):
            if member in ids:
                planned[member].add(s.session_id)
    for c in ev.completed:
        for member, _ in c.members:
            if member in ids:
                # A completed session was planned even if its SessionScheduled has not arrived yet.
                planned[member].add(c.session_id)
                completed[member].add(c.session_id)
    return planned, completed


def _completion(with_plan: list[UUID], planned: dict, completed: dict) -> tuple[float | None, int]:
    total_planned = sum(len(planned[p]) for p in with_plan)
    if not total_planned:
        return None, 0
    return round(sum(len(completed.get(p, ())) for p in with_plan) / total_planned, 3), len(with_plan)


def _attitude_changes(ends: list[EndSurvey]) -> list[float]:
    changes = []
    for s in ends:
        paired = [s.attitudes_after[i] - s.attitudes_before[i] for i in s.attitudes_after if i in s.attitudes_before]
        if paired:
            changes.append(sum(paired) / len(paired))
    return changes


def _skill_uplift(ends: list[EndSurvey]) -> list[Figure]:
    by_topic: dict[str, list[int]] = defaultdict(list)
    for s in ends:
        for topic, after in s.skills_after.items():
            if topic in s.skills_before:
                by_topic[topic].append(after - s.skills_before[topic])
    return [figures.mean(topic, by_topic[topic]) for topic in sorted(by_topic)]
