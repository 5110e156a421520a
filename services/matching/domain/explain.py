"""What a proposal says about itself, and why a participant stayed unmatched."""

import numpy as np

from matching.domain.couples import COUPLE_REASONS, GROUP_REASONS, Criteria, criteria, rule_masks
from matching.domain.model import Candidate, Override, Proposal
from matching.domain.pool import Pool
from matching.domain.programme import Policy
from matching.domain.roster import LEVELS


def shared_language(mentor: Candidate, mentee: Candidate) -> str:
    """The mentee's first language the mentor speaks too ("" when none: only under an override)."""
    spoken = mentor.languages
    for lang in mentee.languages:
        if lang in spoken:
            return lang
    return ""


def learning_directions(mentor: Candidate, mentee: Candidate) -> dict[str, str]:
    """Topic -> who teaches it: what the mentee wishes and the mentor knows better (and, for a
    cross pair, the other way round)."""
    mine, theirs = ({s.topic: s for s in c.skills} for c in (mentor, mentee))
    directions = {}
    for topic, wanted in theirs.items():
        if wanted.wish > 0 and topic in mine and mine[topic].proficiency > wanted.proficiency:
            directions[topic] = "mentor_teaches"
    if mentor.role == "both" and mentee.role == "both":
        for topic, wanted in mine.items():
            if wanted.wish > 0 and topic in theirs and theirs[topic].proficiency > wanted.proficiency:
                directions.setdefault(topic, "mentee_teaches")
    return dict(sorted(directions.items()))


def couple_criteria(pool: Pool, mentees: np.ndarray, mentors: np.ndarray) -> Criteria:
    """The score's criteria for couples given as pool rows."""
    p, availability = pool.roster.people, pool.codes.availability
    a, b = p.availability[mentees], p.availability[mentors]
    offsets = availability.offsets
    return criteria(p, mentees, mentors, availability.common_minutes(a, b), offsets[a], offsets[b])


def proposals(pool: Pool, mentees: np.ndarray, mentors: np.ndarray, pinned: bool = False,
              overrides: list[Override | None] | None = None) -> list[Proposal]:
    if not len(mentees):
        return []
    crit, people, policy = couple_criteria(pool, mentees, mentors), pool.roster.candidates, pool.policy
    parts = crit.parts(policy)
    names = list(parts)
    rounded = [_rounded(values) for values in parts.values()]
    total = [0.0] * len(mentees)  # sum() of each breakdown's values, term by term in the same order
    for column in rounded:
        total = [a + b for a, b in zip(total, column, strict=True)]
    scores = _rounded(total)
    directions = all_directions(pool, mentees, mentors)
    out = []
    for k, (e, m, score, taught, *values) in enumerate(zip(mentees.tolist(), mentors.tolist(), scores, directions,
                                                           *rounded, strict=True)):
        mentor, mentee = people[m], people[e]
        out.append(Proposal(mentor.participant_id, mentee.participant_id, shared_language(mentor, mentee), score,
                            dict(zip(names, values, strict=True)), taught, pinned,
                            overrides[k] if overrides else None))
    return out


def all_directions(pool: Pool, mentees: np.ndarray, mentors: np.ndarray) -> list[dict[str, str]]:
    """`learning_directions` of many couples (pool rows) from the roster's skill rows, not the
    candidates' skill lists: per topic, the mentee wishes it and the mentor knows it better exactly
    when some level k has wants[mentee] (wished, below k) and teach[mentor] (at or above k), since
    levels are 0-4 and a topic is listed once per person (enrollment refuses anything else). Couples
    with the same directions share one sorted template, each gets its own dict."""
    p, ids = pool.roster.people, pool.codes.topics.ids
    topics, n = len(ids), len(mentees)
    if not topics:
        return [{} for _ in range(n)]
    width = topics * LEVELS
    code = _taught(p.wants[mentees, :width], p.teach[mentors, :width], topics).astype(np.int8)
    cross = np.flatnonzero(p.both[mentees] & p.both[mentors])
    if len(cross):  # the mentee teaches the topics the mentor wishes, unless the mentor teaches them already
        back = _taught(p.wants[mentors[cross], :width], p.teach[mentees[cross], :width], topics)
        code[cross] = np.where(code[cross] > 0, 1, np.where(back, 2, 0))
    by_name = sorted(ids, key=str)
    code = code[:, [ids[name] for name in by_name]]
    if topics <= 39:  # one integer per couple (3 ** 39 < 2 ** 63): a 1-D unique, not a sort of rows
        keys = code.astype(np.int64) @ 3 ** np.arange(topics, dtype=np.int64)
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        rows = code[first]
    else:
        rows, inverse = np.unique(code, axis=0, return_inverse=True)
    templates = [tuple((by_name[j], _DIRECTION[c]) for j, c in enumerate(row) if c) for row in rows.tolist()]
    return [dict(templates[i]) for i in inverse.reshape(-1).tolist()]


_DIRECTION = {1: "mentor_teaches", 2: "mentee_teaches"}


def _taught(wants: np.ndarray, teach: np.ndarray, topics: int) -> np.ndarray:
    """(couples, topics) bool: the learner wishes the topic and the teacher is above the learner's level."""
    return (wants * teach).reshape(len(wants), topics, LEVELS).any(axis=2)


def _rounded(values: list[float]) -> list[float]:
    """round(v, 4) of each value, computed once per distinct value (a round's terms repeat a lot)."""
    seen: dict[float, float] = {}
    return [seen[v] if v in seen else seen.setdefault(v, round(v, 4)) for v in values]


def proposal(mentor: Candidate, mentee: Candidate, crit: Criteria, k: int, policy: Policy, pinned: bool = False,
             override: Override | None = None) -> Proposal:
    return _proposal(mentor, mentee, crit.breakdown(policy, k), pinned, override)


def _proposal(mentor: Candidate, mentee: Candidate, breakdown: dict[str, float], pinned: bool,
              override: Override | None) -> Proposal:
    return Proposal(mentor.participant_id, mentee.participant_id, shared_language(mentor, mentee),
                    round(sum(breakdown.values()), 4), breakdown, learning_directions(mentor, mentee), pinned,
                    override)


def reasons(pool: Pool, people: np.ndarray, takers: np.ndarray, givers: np.ndarray,
            excluded: set) -> list[str]:
    """Why each of these people (pool rows) has no pair: the first hard rule that leaves them
    without any counterpart among the takers and givers given (pool rows), then the couples left
    all excluded (dissolved once or forbidden), else their counterparts went elsewhere. Each person
    is checked against their counterparts only: O(counterparts) per person."""
    from matching.domain.rules import group_masks

    p, ids = pool.roster.people, pool.roster.candidates
    out = []
    for row in people.tolist():
        parts = []
        if p.takes[row]:
            g = givers[givers != row]
            parts.append((np.full(len(g), row), g))
        if p.gives[row]:
            t = takers[takers != row]
            parts.append((t, np.full(len(t), row)))
        t = np.concatenate([x[0] for x in parts]) if parts else np.zeros(0, np.int64)
        g = np.concatenate([x[1] for x in parts]) if parts else np.zeros(0, np.int64)
        if not len(t):
            out.append("no_counterpart_in_programme")
            continue
        reason, left = None, np.ones(len(t), bool)
        for name, mask in group_masks(pool, t, g) + rule_masks(p, t, g, pool.policy):
            if mask is not None:
                left &= mask
                if not left.any():
                    reason = name
                    break
        if reason is None:
            pairs = {(ids[b].participant_id, ids[a].participant_id) for a, b in zip(t[left], g[left], strict=True)}
            reason = "only_dissolved_or_forbidden_pairs" if pairs <= excluded else "no_capacity_left"
        out.append(reason)
    return out


REASONS = (*GROUP_REASONS, *COUPLE_REASONS, "only_dissolved_or_forbidden_pairs", "no_capacity_left",
           "no_counterpart_in_programme")
