"""A slow, scalar restatement of the hard rules and the score, written independently of the
vectorised domain code so property tests can check one against the other."""

from datetime import datetime
from zoneinfo import ZoneInfo

from matching.domain.model import Candidate
from matching.domain.programme import Policy

WEEK = 7 * 1440


def offset(c: Candidate, policy: Policy) -> int:
    ref = policy.reference_date
    return int(datetime(ref.year, ref.month, ref.day, 12, tzinfo=ZoneInfo(c.time_zone)).utcoffset().total_seconds()
               // 60)


def utc_minutes(c: Candidate, policy: Policy) -> set[int]:
    off = offset(c, policy)
    minutes: set[int] = set()
    for s in c.availability:
        start = s.weekday * 1440 + int(s.start[:2]) * 60 + int(s.start[3:]) - off
        end = s.weekday * 1440 + int(s.end[:2]) * 60 + int(s.end[3:]) - off
        minutes |= {m % WEEK for m in range(start, end)}
    return minutes


def longest_run(minutes: set[int]) -> int:
    if len(minutes) == WEEK:
        return WEEK
    best = 0
    for m in minutes:
        if (m - 1) % WEEK not in minutes:
            length = 0
            while (m + length) % WEEK in minutes:
                length += 1
            best = max(best, length)
    return best


def teaches(teacher: Candidate, learner: Candidate) -> bool:
    knows = {s.topic: s.proficiency for s in teacher.skills}
    return any(s.wish > 0 and knows.get(s.topic, 0) > s.proficiency for s in learner.skills)


def feasible(mentor: Candidate, mentee: Candidate, policy: Policy) -> bool:
    if not set(mentor.languages) & set(mentee.languages):
        return False
    if policy.same_country_only and mentor.country != mentee.country:
        return False
    if mentor.role == "both" and mentee.role == "both":
        if not (teaches(mentor, mentee) and teaches(mentee, mentor)):
            return False
    elif not mentor.seniority_level < mentee.seniority_level:
        return False
    same_manager = mentee.manager_id is not None and mentee.manager_id == mentor.manager_id
    if policy.exclude_reporting_line and (mentee.manager_id == mentor.participant_id
                                          or mentor.manager_id == mentee.participant_id or same_manager):
        return False
    if policy.exclude_same_department and mentor.department and mentor.department == mentee.department:
        return False
    common = utc_minutes(mentor, policy) & utc_minutes(mentee, policy)
    return longest_run(common) >= policy.min_overlap_minutes


def utility(mentor: Candidate, mentee: Candidate, policy: Policy) -> int:
    """The integer value of a couple: 1 + round(1000 x score), the score summed in criterion order."""
    return round(sum(breakdown(mentor, mentee, policy).values()) * 1000) + 1


def _learned(teacher: Candidate, learner: Candidate) -> float:
    knows = {s.topic: s.proficiency for s in teacher.skills}
    need = sum(s.wish * (4 - s.proficiency) for s in learner.skills)
    gain = sum(s.wish * max(0, knows.get(s.topic, 0) - s.proficiency) for s in learner.skills)
    return gain / need if need else 0.0


def breakdown(mentor: Candidate, mentee: Candidate, policy: Policy) -> dict[str, float]:
    complementarity = _learned(mentor, mentee)
    if mentor.role == "both" and mentee.role == "both":
        complementarity = (complementarity + _learned(mentee, mentor)) / 2
    overlap = len(utc_minutes(mentor, policy) & utc_minutes(mentee, policy))
    distance = abs(offset(mentor, policy) - offset(mentee, policy)) / 60
    raw = {"complementarity": complementarity, "availability": min(overlap / 240, 1.0),
           "time_zone": 1 - min(distance, 12) / 12}
    weights = policy.normalised_weights()
    return {k: weights[k] * v for k, v in raw.items()}
