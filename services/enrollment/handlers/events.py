"""Domain objects -> the integration events enrollment publishes."""

from uuid import UUID, uuid5

from enrollment.domain.curriculum import Curriculum
from enrollment.domain.model import Participant, Programme
from shared.contracts import (
    CalendarSettings,
    CurriculumModule,
    MatchingPolicy,
    ParticipantEnrolled,
    ParticipantKey,
    ParticipantProfile,
    ParticipantUpdated,
    ProgrammeLaunched,
    ProgrammeUpdated,
    TopicSkill,
    WeeklySlot,
)
from shared.crypto.sealing import seal


def programme_state(p: Programme, curriculum: Curriculum, correlation_id: UUID, changed: list[str] | None = None):
    fields = dict(
        programme_id=p.programme_id,
        name=p.name,
        countries=p.countries,
        languages=p.languages,
        sessions_per_pair=p.sessions_per_pair,
        session_minutes=p.session_minutes,
        cadence_days=p.cadence_days,
        format=p.format,
        mentor_capacity=p.mentor_capacity,
        matching_policy=MatchingPolicy(
            same_country_only=p.matching_policy.same_country_only,
            exclude_reporting_line=p.matching_policy.exclude_reporting_line,
            exclude_same_department=p.matching_policy.exclude_same_department,
            min_overlap_minutes=p.matching_policy.min_overlap_minutes,
            weights=dict(p.matching_policy.weights),
        ),
        curriculum_version=p.curriculum_version,
        modules=[CurriculumModule(code=m.code, title=m.title, topics=[t.code for t in m.topics])
                 for m in curriculum.modules],
        time_zones=p.time_zones,
        enrollment_opens=p.enrollment_opens,
        enrollment_closes=p.enrollment_closes,
        status=p.status,
        starts_on=p.starts_on,
        ends_on=p.ends_on,
        calendar=CalendarSettings(grid_minutes=p.calendar.grid_minutes, weekend_days=list(p.calendar.weekend_days),
                                  holidays=p.calendar.holidays),
        planning_deadline_days=p.planning_deadline_days,
        correlation_id=correlation_id,
    )
    if changed is None:
        return ProgrammeLaunched(**fields)
    return ProgrammeUpdated(**fields, changed=changed)


def participant_key(p: Participant, correlation_id: UUID) -> ParticipantKey:
    """The data key record (destroyed: `data_key` None), published before any event it opens."""
    kind = "ParticipantKey" if p.data_key else "ParticipantKeyDestroyed"
    return ParticipantKey(participant_id=p.participant_id, programme_id=p.programme_id, data_key=p.data_key,
                          event_id=uuid5(p.participant_id, kind), correlation_id=correlation_id)


def participant_state(p: Participant, correlation_id: UUID, changed: list[str] | None = None):
    assert p.data_key is not None, "a participant's attributes only travel sealed"
    profile = ParticipantProfile(
        role=p.role,
        country=p.country,
        languages=p.languages,
        time_zone=p.time_zone,
        region=p.region,
        seniority_level=p.seniority_level,
        availability=[WeeklySlot(weekday=s.weekday, start=s.as_hhmm()[0], end=s.as_hhmm()[1])
                      for s in p.availability],
        department=p.department,
        manager_participant_id=p.manager_participant_id,
        skills=[TopicSkill(topic=s.topic, proficiency=s.proficiency, wish=s.wish) for s in p.skills],
        must_match=p.must_match,
    )
    fields = dict(participant_id=p.participant_id, programme_id=p.programme_id, correlation_id=correlation_id,
                  profile=seal(profile, p.data_key, p.participant_id))
    if changed is None:
        # Deterministic: an enrollment written twice (a re-import after a crash) is one event for consumers.
        return ParticipantEnrolled(**fields, event_id=uuid5(p.participant_id, "ParticipantEnrolled"))
    return ParticipantUpdated(**fields, changed=[c for c in changed if c not in ("display_name", "email")])
