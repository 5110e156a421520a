"""Who can still take part in pairing: free mentees, mentors with seats left, couples excluded."""

from collections import Counter
from dataclasses import dataclass
from uuid import UUID

from matching.domain.model import Candidate, Pair
from matching.domain.programme import Programme


@dataclass
class Pool:
    programme: Programme
    active: list[Candidate]  # not withdrawn, in input order (sides are sorted by id where order matters)
    seats: dict[UUID, int]  # seats left for each mentor-capable participant
    paired: set[UUID]  # participants in an active pair as mentee, or `both` in any active pair
    excluded: set[tuple[UUID, UUID]]  # (mentor, mentee): dissolved once, or forbidden by a manager
    busy: set[UUID]  # in at least one active pair
    live: set[tuple[UUID, UUID]]  # (mentor, mentee) of the active pairs

    @classmethod
    def of(cls, programme: Programme, candidates: list[Candidate], pairs: list[Pair]) -> "Pool":
        active = [c for c in candidates if not c.withdrawn]
        live = [p for p in pairs if p.active]
        as_mentor = Counter(p.mentor_id for p in live)
        in_pair = {p.mentee_id for p in live} | as_mentor.keys()
        capacity = programme.policy.mentor_capacity
        seats, paired = {}, {p.mentee_id for p in live}
        for c in active:  # one pass: this runs for every enrollment over the whole pool
            if c.role == "mentor":
                seats[c.participant_id] = max(0, (c.capacity or capacity) - as_mentor[c.participant_id])
            elif c.role == "both":  # cross pairs are one-to-one
                taken = c.participant_id in in_pair
                seats[c.participant_id] = 0 if taken else 1
                if taken:
                    paired.add(c.participant_id)
        excluded = {(p.mentor_id, p.mentee_id) for p in pairs if not p.active}
        excluded |= {(b, a) for a, b in excluded}  # a dissolved cross pair stays dissolved either way round
        excluded |= {(r.mentor_id, r.mentee_id) for r in programme.rules if r.kind == "forbidden"}
        return cls(programme, active, seats, paired, excluded, in_pair, {(p.mentor_id, p.mentee_id) for p in live})

    def free_mentees(self) -> list[Candidate]:
        return [c for c in self.active if c.can_be_mentored() and c.participant_id not in self.paired]

    def open_mentors(self) -> list[Candidate]:
        return [c for c in self.active if c.can_mentor() and self.seats.get(c.participant_id, 0) > 0]

    def split_both(self) -> tuple[list[Candidate], list[Candidate]]:
        """A round puts the junior half of the free `both` participants on the mentor side."""
        free_both = sorted((c for c in self.free_mentees() if c.role == "both"), key=lambda c: c.rank)
        half = len(free_both) // 2
        return free_both[:half], free_both[half:]

    def round_sides(self) -> tuple[list[Candidate], list[Candidate]]:
        junior, senior = self.split_both()
        mentees = [c for c in self.free_mentees() if c.role == "mentee"] + senior
        mentors = [c for c in self.open_mentors() if c.role == "mentor"] + junior
        return by_id(mentees), by_id(mentors)


def by_id(people: list[Candidate]) -> list[Candidate]:
    """Sorted by participant id, so the same pool always gives the same sides and tie-breaks."""
    return sorted(people, key=lambda c: c.participant_id)
