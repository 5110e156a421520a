"""Column arrays for one side of the bipartite graph (mentees or mentors), built once per solve."""

from collections import OrderedDict
from dataclasses import dataclass
from uuid import UUID

import numpy as np

from matching.domain.availability import BITS, erode, utc_offset_minutes, week_matrix
from matching.domain.model import Candidate
from matching.domain.programme import Policy
from matching.domain.series_rule import profile_code

LEVELS = 4  # proficiency 0-4: max(0, a - b) == number of levels k in 1..4 with b < k <= a


@dataclass
class Vocabulary:
    """Integer codes shared by both sides, so rules are array comparisons."""

    languages: dict[str, int]
    topics: dict[str, int]
    people: dict[UUID, int]
    words: dict[str, int]

    @classmethod
    def of(cls, candidates: list[Candidate]) -> "Vocabulary":
        languages = sorted({lang for c in candidates for lang in c.languages})
        topics = sorted({s.topic for c in candidates for s in c.skills})
        # Codes only ever meet in equality tests, so any fixed order of people will do.
        people = dict.fromkeys([c.participant_id for c in candidates] + [c.manager_id for c in candidates])
        people.pop(None, None)
        return cls({v: i for i, v in enumerate(languages[:63])}, {v: i for i, v in enumerate(topics)},
                   {v: i for i, v in enumerate(people)}, {})

    def word(self, value: str | None) -> int:
        return -1 if value is None else self.words.setdefault(value, len(self.words))


@dataclass
class Side:
    people: list[Candidate]
    code: np.ndarray
    language_mask: np.ndarray
    country: np.ndarray
    department: np.ndarray
    manager: np.ndarray
    seniority: np.ndarray
    both: np.ndarray
    offset: np.ndarray
    bits: np.ndarray  # (n, BITS) available 15-minute steps of the UTC week (bool; float32 once compacted)
    fits: np.ndarray  # (n, BITS) steps where a session of the minimum length starts (idem)
    learn: np.ndarray  # float32 (n, topics*LEVELS): wish where this person is below level k
    wants: np.ndarray  # float32: 1 where wished and below level k (any topic to learn)
    teach: np.ndarray  # float32: 1 where this person is at or above level k
    learn_total: np.ndarray
    must: np.ndarray
    capacity: np.ndarray
    avail: np.ndarray  # int64 availability-profile code (people with equal codes are one group)

    def __len__(self) -> int:
        return len(self.code)

    def take(self, rows: np.ndarray, with_people: bool = True) -> "Side":
        """The same arrays for a subset of people (e.g. those left unmatched), in that order."""
        values = {name: value[rows] for name, value in vars(self).items() if isinstance(value, np.ndarray)}
        return Side(people=[self.people[i] for i in rows] if with_people else [], **values)


_WEEKS: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
_WEEKS_KEPT = 200_000


def weeks(schedules: list[tuple], offsets: list[int], minutes: int) -> tuple[np.ndarray, np.ndarray]:
    """(bits, fits) rows per person; a weekly pattern seen before (same slots, offset, session
    length) is reused, so pairing one newcomer does not rebuild a thousand unchanged weeks."""
    keys = [(slots, off, minutes) for slots, off in zip(schedules, offsets, strict=True)]
    missing = list(dict.fromkeys(k for k in keys if k not in _WEEKS))
    if missing:
        if len(_WEEKS) + len(missing) > _WEEKS_KEPT:
            _WEEKS.clear()
        bits = week_matrix([k[0] for k in missing], [k[1] for k in missing])
        fits = erode(bits, minutes)
        _WEEKS.update({k: (b, f) for k, b, f in zip(missing, bits, fits, strict=True)})
    if not keys:
        return np.zeros((0, BITS), bool), np.zeros((0, BITS), bool)
    rows = [_WEEKS[k] for k in keys]
    return np.stack([r[0] for r in rows]), np.stack([r[1] for r in rows])


def build_side(people: list[Candidate], capacity: list[int], vocab: Vocabulary, policy: Policy) -> Side:
    n, topics = len(people), len(vocab.topics)
    width = topics * LEVELS
    learn = np.zeros((n, topics, LEVELS), dtype=np.float32)
    teach = np.zeros((n, topics, LEVELS), dtype=np.float32)
    wants = np.zeros((n, topics, LEVELS), dtype=np.float32)
    entries = [(row, vocab.topics[s.topic], s.proficiency, s.wish) for row, c in enumerate(people) for s in c.skills
               if s.topic in vocab.topics]  # a topic nobody on the other side knows teaches nothing
    if entries:
        row, topic, proficiency, wish = (np.array(x) for x in zip(*entries, strict=True))
        levels = np.arange(1, LEVELS + 1)[None, :]
        teach[row, topic] = proficiency[:, None] >= levels
        learn[row, topic] = wish[:, None] * (proficiency[:, None] < levels)
        wants[row, topic] = (wish[:, None] > 0) & (proficiency[:, None] < levels)
    ref, minutes = policy.reference_date, policy.min_overlap_minutes
    offsets = [utc_offset_minutes(c.time_zone, ref) for c in people]
    bits, fits = weeks([tuple(c.availability) for c in people], offsets, minutes)
    return Side(
        people=people,
        code=np.array([vocab.people.get(c.participant_id, -2) for c in people], dtype=np.int64),
        language_mask=np.array([sum(1 << vocab.languages[x] for x in set(c.languages) if x in vocab.languages)
                                for c in people], dtype=np.uint64),
        country=np.array([vocab.word(c.country) for c in people], dtype=np.int64),
        department=np.array([vocab.word(c.department) for c in people], dtype=np.int64),
        manager=np.array([vocab.people.get(c.manager_id, -1) if c.manager_id else -1 for c in people], dtype=np.int64),
        seniority=np.array([c.seniority_level for c in people], dtype=np.int64),
        both=np.array([c.role == "both" for c in people], dtype=bool),
        offset=np.array(offsets, dtype=np.float32),
        bits=bits,
        fits=fits,
        learn=learn.reshape(n, width), wants=wants.reshape(n, width), teach=teach.reshape(n, width),
        learn_total=np.array([sum(s.wish * (LEVELS - s.proficiency) for s in c.skills) for c in people], np.float32),
        must=np.array([c.must_match for c in people], dtype=bool),
        capacity=np.array(capacity, dtype=np.int64),
        avail=np.array([profile_code(c) for c in people], dtype=np.int64),
    )


_SIDES: OrderedDict[tuple, tuple[Vocabulary, Side]] = OrderedDict()


def cached_side(programme_id: UUID, people: list[Candidate], policy: Policy) -> tuple[Vocabulary, Side]:
    """The arrays of a programme's counterparts, sorted by id, reused while none of them changed:
    pairing a newcomer then only builds the newcomer's own row. Relies on a stored candidate
    changing only with its version (every repository write bumps it)."""
    key = (programme_id, policy.reference_date, policy.min_overlap_minutes, policy.calendar,
           tuple(sorted((c.participant_id.int, c.version) for c in people)))
    if key in _SIDES:
        _SIDES.move_to_end(key)
        return _SIDES[key]
    ordered = sorted(people, key=lambda c: c.participant_id)
    vocab = Vocabulary.of(ordered)
    _SIDES[key] = (vocab, build_side(ordered, [0] * len(ordered), vocab, policy))
    if len(_SIDES) > 16:
        _SIDES.popitem(last=False)
    return _SIDES[key]
