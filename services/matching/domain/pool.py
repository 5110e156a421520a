"""A programme's pool: its candidates and pairs, and what follows from them (seats left, who is
taken, couples never to propose), kept up to date one change at a time.

Every change costs the size of what changed (a candidate's row, a pair's two members), so the
service can keep a programme's pool in memory between events instead of rebuilding it from all
stored documents (`adapters/pools.py` keeps it current against the store).
"""

from uuid import UUID

import numpy as np

from matching.domain.codes import Codes
from matching.domain.model import Candidate, Pair
from matching.domain.programme import Programme
from matching.domain.roster import Roster


class Pool:
    def __init__(self, programme: Programme, candidates: list[Candidate] = (), pairs: list[Pair] = ()) -> None:
        self.programme = programme
        self.changes = 0  # bumped by every change, so a holder can tell whether it changed the pool
        self.pairs: dict[UUID, Pair] = {}
        self.live_of: dict[UUID, set[UUID]] = {}  # participant -> their active pairs
        self.dissolved: set[tuple[UUID, UUID]] = set()  # (mentor, mentee), both ways round
        self._dissolved_with: dict[UUID, set[UUID]] = {}
        self._build(list(candidates))
        for pair in pairs:
            self.put_pair(pair)

    # -- building -------------------------------------------------------------------------------
    def _build(self, candidates: list[Candidate]) -> None:
        policy = self.programme.policy
        self.policy = policy
        self.codes = Codes(policy)
        self.roster = Roster(self.codes, policy.mentor_capacity)
        self.load = np.zeros(16, np.int64)  # active pairs per row as a mentor
        self.taken = np.zeros(16, bool)  # in an active pair as a mentee, or a `both` in any pair
        self.roster.add(candidates)
        self._grow()

    def _grow(self) -> None:
        n = len(self.roster)
        if n > len(self.load):
            size = max(n, 2 * len(self.load))
            self.load = np.concatenate([self.load, np.zeros(size - len(self.load), np.int64)])
            self.taken = np.concatenate([self.taken, np.zeros(size - len(self.taken), bool)])

    def follow(self, programme: Programme) -> None:
        """The programme document changed (mode, rules, pending round, policy): a new policy
        changes how people compare, so the arrays are rebuilt (rare: a launch or an update)."""
        policy_changed = programme.policy != self.policy
        self.programme = programme
        if policy_changed:
            self.changes += 1
            pairs = list(self.pairs.values())
            self.pairs, self.live_of, self.dissolved, self._dissolved_with = {}, {}, set(), {}
            self._build(list(self.roster.candidates))
            for pair in pairs:
                self.put_pair(pair)

    # -- changes --------------------------------------------------------------------------------
    def put_candidate(self, candidate: Candidate) -> None:
        """A new candidate, or a stored one changed (withdrawn): O(its own row)."""
        self.changes += 1
        if candidate.participant_id in self.roster.row_of:
            self.roster.replace(candidate)
        else:
            self.roster.add([candidate])
            self._grow()

    def put_pair(self, pair: Pair) -> None:
        """A new pair, or a stored one changed (dissolved): O(its two members)."""
        self.changes += 1
        before = self.pairs.get(pair.pair_id)
        if before is not None and before.active:
            self._release(before)
        self.pairs[pair.pair_id] = pair
        if pair.active:
            self._take(pair)
        else:
            self.dissolved |= {(pair.mentor_id, pair.mentee_id), (pair.mentee_id, pair.mentor_id)}
            self._dissolved_with.setdefault(pair.mentor_id, set()).add(pair.mentee_id)
            self._dissolved_with.setdefault(pair.mentee_id, set()).add(pair.mentor_id)

    def _rows(self, pair: Pair) -> tuple[int | None, int | None]:
        return self.roster.row_of.get(pair.mentor_id), self.roster.row_of.get(pair.mentee_id)

    def _take(self, pair: Pair) -> None:
        for member in pair.members():
            self.live_of.setdefault(member, set()).add(pair.pair_id)
        mentor, mentee = self._rows(pair)
        if mentor is not None:
            self.load[mentor] += 1
            self.taken[mentor] |= bool(self.roster.people.both[mentor])
        if mentee is not None:
            self.taken[mentee] = True

    def _release(self, pair: Pair) -> None:
        for member in pair.members():
            self.live_of.get(member, set()).discard(pair.pair_id)
        mentor, mentee = self._rows(pair)
        if mentor is not None:
            self.load[mentor] -= 1
            if self.roster.people.both[mentor]:
                self.taken[mentor] = bool(self.live_of.get(pair.mentor_id))
        if mentee is not None:
            self.taken[mentee] = bool(self.live_of.get(pair.mentee_id))

    # -- questions ------------------------------------------------------------------------------
    def candidate(self, participant_id: UUID) -> Candidate | None:
        row = self.roster.row_of.get(participant_id)
        return None if row is None else self.roster.candidates[row]

    def active_pairs_of(self, participant_id: UUID) -> list[Pair]:
        return [self.pairs[p] for p in sorted(self.live_of.get(participant_id, ()))]

    def seats(self) -> np.ndarray:
        """Per row: mentees this person may still take (0 for a mentee, or a `both` already paired)."""
        p, n = self.roster.people, len(self.roster)
        left = np.where(p.both, np.where(self.taken[:n], 0, 1), p.capacity - self.load[:n])
        return np.where(p.gives & p.active, np.maximum(left, 0), 0)

    def free_takers(self) -> np.ndarray:
        p, n = self.roster.people, len(self.roster)
        return p.takes & p.active & ~self.taken[:n]

    def excluded_rows(self, row: int, as_taker: bool) -> np.ndarray:
        """Rows of the people this one may never be paired with on that side: a couple dissolved
        once (either way round), or forbidden by a manager (mentor, mentee). Two `both` people make
        one cross pair whichever side each is found on, labelled with the junior as mentor: their
        rule applies when it names them in that order (as the round and its reference read it)."""
        me = self.roster.candidates[row].participant_id
        both = self.roster.people.both
        partners = set(self._dissolved_with.get(me, ()))
        for rule in self.programme.rules:
            if rule.kind != "forbidden" or me not in (rule.mentor_id, rule.mentee_id):
                continue
            other = rule.mentee_id if rule.mentor_id == me else rule.mentor_id
            at = self.roster.row_of.get(other)
            if at is not None and both[row] and both[at]:
                if self.cross_labels(row, at) == (rule.mentor_id, rule.mentee_id):
                    partners.add(other)
            elif (rule.mentee_id if as_taker else rule.mentor_id) == me:
                partners.add(other)
        rows = [self.roster.row_of[x] for x in partners if x in self.roster.row_of]
        return np.array(rows, np.int64)

    def cross_labels(self, a: int, b: int) -> tuple[UUID, UUID]:
        """(mentor, mentee) of the cross pair of two `both` rows: the junior mentors (ties: smaller id)."""
        p, ids = self.roster.people, self.roster.candidates
        junior, senior = sorted((a, b), key=lambda r: (p.seniority[r], ids[r].participant_id))
        return ids[junior].participant_id, ids[senior].participant_id

    def excluded(self) -> set[tuple[UUID, UUID]]:
        """(mentor, mentee) couples never to propose: dissolved once (either way round) or forbidden."""
        forbidden = {(r.mentor_id, r.mentee_id) for r in self.programme.rules if r.kind == "forbidden"}
        return self.dissolved | forbidden

    def live(self) -> set[tuple[UUID, UUID]]:
        return {(p.mentor_id, p.mentee_id) for p in self.pairs.values() if p.active}
