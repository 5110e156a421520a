"""The exact round: most must-match participants covered, then the highest total value, over every
feasible couple, with each `both` participant free to mentor or to be mentored (one pair in all).

Without free `both` participants the problem is a bipartite b-matching: one min-cost flow
(`network.py`) is exact. With them a person may sit on either side, and odd cycles appear (a
mentor, a `both` and a mentee, each feasible with the other two). The linear relaxation is then
solved exactly by the same flow on the *doubled* network (every person has a left and a right
copy, every couple two arcs; x = half the sum of its two flows); an integral relaxation is the
optimum. Otherwise branch and bound fixes the side of a fractional `both` participant; each child
is again a flow, and once every `both` side is fixed the graph is bipartite and the flow exact.

Most programmes never need the doubled network: each `both` participant is first put on one side
and the bipartite solution is certified against the doubled relaxation from its own prices
(`_split_solve`). At 100,000 x 10,000 on the cross generator that replaced five doubled solves of
~13 s each by bipartite ones of ~3 s.

Certificate over the pruned couples: the network starts from each taker's best couples only. An
absent couple could improve the relaxation only if one of its arcs has a negative reduced cost
under the optimal potentials; those come in and the network is solved again until none is left.
An integer solution using an absent couple is worth at most the relaxation minus that couple's
reduced costs, so a couple whose reduced costs exceed the gap between relaxation and integer
optimum cannot help either; the others come in. The result is optimal over the full feasible set.
Only the last solve decides it: the problem's first network is priced by an auction's guess
(`auction.py`) instead of a solve, the couples it prices in come in, and the solves start from there.
"""

import heapq
import itertools
from dataclasses import dataclass

import numpy as np

from matching.domain import auction
from matching.domain.couples import SCALE
from matching.domain.coverage import coverable, covered, most_covered
from matching.domain.feasible import Feasible
from matching.domain.network import Network, Solved
from matching.domain.parallel import entering_all
from matching.domain.scan_kernels import lowest_per_owner

MAX_NODES = 5000  # branch-and-bound nodes; far beyond what the odd cycles of real programmes need
PER_TAKER = 32  # couples a taker brings into the network per pass (its most improving)
PER_GIVER = 64  # beyond its capacity, couples a giver keeps of those per pass (fewer passes: each is a full solve)
PRUNE_MARGIN, PRUNED_PASSES = 100, 3  # couples this far from pricing in leave the network (early passes)
LATER_PRUNE_MARGIN = 60  # after the second solve the prices have settled: the network keeps less
ALONG = 40  # later passes: with a couple that prices in, those this close come too (fewer tail passes)
NEAR_MISS = 60  # first pass: couples this close to pricing in come too (the prices still move; 2 passes at 10k x 1k)
FREE, GIVES, TAKES = 0, 1, 2
SPLITS = 3  # sides of the `both` participants tried before the doubled network decides
SMALL_BONUS = 2 * (SCALE + 2)  # rounds solve with this, then check the coverage (coverage.py)


@dataclass
class Assignment:
    taker: np.ndarray  # round rows of the chosen couples
    giver: np.ndarray
    value: np.ndarray
    passes: int  # network solves of the certificate loop
    nodes: int  # branch-and-bound nodes (1 when the relaxation was integral)


@dataclass
class Relaxed:
    solved: Solved
    left: np.ndarray  # node of each person's left copy (-1: none)
    right: np.ndarray  # node of each person's right copy (-1: none)
    x: np.ndarray  # twice the value of each couple: 0, 1 (a half) or 2
    cost: int  # in doubled units: -2 x total value - bonus x must-match covered (+ a constant)
    doubled: bool = False

    def potentials(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(left copy's, right copy's) potential of these people (0 where they have no copy)."""
        p, n_l = self.solved.potential, len(self.solved.network.supply)
        left, right = self.left[rows], self.right[rows]
        return np.where(left >= 0, p[np.maximum(left, 0)], 0), np.where(right >= 0, p[n_l + np.maximum(right, 0)], 0)

    def prices(self) -> np.ndarray:
        """A single network's dual price of every person, on whichever side it sits: a couple
        (t, g) outside the network could improve it only if y[t] + y[g] < its value."""
        left, right = self.potentials(np.arange(len(self.left)))
        return np.where(self.left >= 0, left, -right)


@dataclass
class Guess:
    """The auction's stand-in for a first solve: what `_bring_in` and `_prune` read of one."""

    x: np.ndarray  # 2 for each network couple the auction holds, else 0
    y: np.ndarray  # each person's price (0 outside the network)
    doubled: bool = False

    def prices(self) -> np.ndarray:
        return self.y


class Problem:
    def __init__(self, feasible: Feasible, starting: np.ndarray, capacity: np.ndarray, must: np.ndarray,
                 both: np.ndarray, bonus: int) -> None:
        self.f, self.capacity, self.must, self.both, self.bonus = feasible, capacity, must, both, bonus
        self.n = len(capacity)
        # each network couple's place in the store (the starting couples' positions at first); which
        # stored couples are in the network is this array, not a flag per stored couple (145 MB at 100k x 10k)
        if starting.dtype == np.bool_:
            raise TypeError("the starting couples are positions in the store, not a flag per stored couple")
        chosen = self.index = starting.astype(np.int64)
        self.t = feasible.takers[feasible.taker_of(chosen)]
        self.g = feasible.givers[feasible.giver[chosen].astype(np.int64)]
        self.value = feasible.value[chosen].astype(np.int64)
        sides = np.zeros(self.n, np.int8)
        sides[feasible.takers] += 1
        sides[feasible.givers] += 1
        self.free_both = sides == 2  # may sit on either side
        self._guessed = False
        self._prices: np.ndarray | None = None  # each person's price at the last solve or guess (warm starts)

    @property
    def cross(self) -> np.ndarray:
        return self.both[self.t] & self.both[self.g]

    def solve(self) -> Assignment:
        """Solved with a small must-match bonus first; the full bonus only if the coverage falls
        short of a bound on the most any assignment can reach (`coverage.py`)."""
        full = self.bonus
        if self.bonus <= SMALL_BONUS or not self.must.any():
            return self._solve()
        self.bonus = SMALL_BONUS
        result = self._solve()
        self.bonus = full
        got = covered(result.taker, result.giver, self.must)
        if got < coverable(self.f, self.must) and (self.free_both.any() or
                                                   got < most_covered(self.f, self.capacity, self.must)):
            again = self._solve()
            again.passes += result.passes
            return again
        return result

    def _solve(self) -> Assignment:
        passes = 0
        if self.free_both.any():
            split, passes = self._split_solve()
            if split is not None:
                return split
        while True:
            root, net, passes = self._priced(np.zeros(self.n, np.int8), passes)
            if not self.free_both.any():  # bipartite: the relaxation is integral
                chosen = net[root.x == 2]
                return Assignment(self.t[chosen], self.g[chosen], self.value[chosen], passes, 1)
            chosen, nodes, cost = self._integer(net, root)
            if self._bring_in(root, gap=cost - root.cost):
                continue
            return Assignment(self.t[chosen], self.g[chosen], self.value[chosen], passes, nodes)

    def _split_solve(self) -> tuple[Assignment | None, int]:
        """Every free `both` participant put on the side the programme is short of, the bipartite
        network solved and priced as in `_solve`, then the doubled relaxation certified without
        solving it: each person's single-network price y, as both copies' potentials (y, -y),
        keeps every arc of the doubled network at a non-negative reduced cost (the sink arcs by
        the single network's optimality, both halves weighing each must-match person alike; the
        couples by y[t] + y[g] >= value, checked over every feasible couple, those the split
        forbids included). The split's assignment is then optimal for the doubled relaxation,
        hence over every feasible couple with free sides. When a couple the split forbids could
        improve it, its `both` participants change sides and the split is tried again (up to
        SPLITS times); then (None, passes): the doubled relaxation decides (`_solve`)."""
        role = self._split()
        passes = 0
        for _ in range(SPLITS):
            root, net, passes = self._priced(role, passes, split=True)
            y = root.prices()
            wrong = np.flatnonzero((root.x == 0) & (y[self.t] + y[self.g] < self.value))
            if not len(wrong):
                chosen = net[root.x == 2]
                return Assignment(self.t[chosen], self.g[chosen], self.value[chosen], passes, 1), passes
            role = self._flipped(role, self.t[wrong], self.g[wrong], y)
        return None, passes

    def _priced(self, role: np.ndarray, passes: int, split: bool = False) -> tuple[Relaxed, np.ndarray, int]:
        """The relaxation over the network, solved again with the absent couples that price in until
        none does: (its last solve, the network's couples, passes so far). A single network is
        pruned after its first solves; the doubled one (sides still free) is not. The problem's
        first network is priced by the auction's guess first (never the result: a solve follows)."""
        if not self._guessed:  # the problem's first network: priced by a guess, not a solve (auction.py)
            self._guessed = True
            self._canonical()
            guess = self._guess(np.arange(len(self.t)), role, split)
            if guess is not None:
                self._prices = guess.y
                if self._bring_in(guess, gap=None, near=NEAR_MISS, along=ALONG):
                    self._prune(guess, PRUNE_MARGIN)
        while True:
            passes += 1
            self._canonical()
            net = np.arange(len(self.t))
            root = self._relax(net, role, split=split)
            if not root.doubled:
                self._prices = root.prices()
            if not self._bring_in(root, gap=None, near=NEAR_MISS if passes == 1 else 0, along=ALONG):
                return root, net, passes
            if passes <= PRUNED_PASSES and not root.doubled:
                self._prune(root, PRUNE_MARGIN if passes == 1 else LATER_PRUNE_MARGIN)
            root = None  # its flow and arcs go before the next solve builds its own

    def _flipped(self, role: np.ndarray, t: np.ndarray, g: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The split with the `both` participants of these forbidden couples on their other side
        (of two on the same side, the lower priced one: it gives up less)."""
        role = role.copy()
        same = (role[t] == role[g]) & self.free_both[t] & self.free_both[g]
        lower = np.where(y[t] <= y[g], t, g)
        moved = np.unique(np.concatenate([t[~same & (role[t] == GIVES)], g[~same & (role[g] == TAKES)], lower[same]]))
        role[moved] = np.where(role[moved] == GIVES, TAKES, GIVES)
        return role

    def _split(self) -> np.ndarray:
        """Sides for the free `both` participants: all mentoring when the pure mentees outnumber
        the pure mentors' seats, else all mentored."""
        pure = ~self.free_both
        takers, givers = self.f.takers[pure[self.f.takers]], self.f.givers[pure[self.f.givers]]
        side = GIVES if len(takers) > self.capacity[givers].sum() else TAKES
        return np.where(self.free_both, side, FREE).astype(np.int8)

    def _canonical(self) -> None:
        """Network couples in (taker, giver) order: the same pool gives the same network, hence the
        same choice among equally good assignments, whatever order its people were read in."""
        order = np.argsort(self.t * self.n + self.g, kind="stable")  # one key: faster than a two-key lexsort
        self.t, self.g, self.value, self.index = self.t[order], self.g[order], self.value[order], self.index[order]

    def _prune(self, root: Relaxed, margin: int) -> None:
        """Drops the network couples far from pricing in (they stay priced by the certificate), so
        the next solve works on the couples that can matter."""
        solved = len(root.x)  # couples added since that solve stay
        y = root.prices()
        keep = np.ones(len(self.t), bool)
        keep[:solved] = (y[self.t[:solved]] + y[self.g[:solved]] - self.value[:solved] < margin) | (root.x > 0)
        self.t, self.g, self.value, self.index = self.t[keep], self.g[keep], self.value[keep], self.index[keep]

    def _bring_in(self, root: Relaxed, gap: int | None, near: int = 0, along: int = 0) -> bool:
        """Adds absent couples that could still improve the result; False when none can.

        Single network: a couple is priced out when its arc's reduced cost is >= 0. Doubled: when
        its two arcs' reduced costs add up to >= 0 (the relaxation is symmetric, so the mean of the
        potentials over a person's two copies is optimal too), and, once an integer solution is
        known, to at least the gap between it and the relaxation (an integer solution using the
        couple is worth at most the relaxation minus that sum).

        Of the couples that price in, each taker brings its PER_TAKER most improving ones and each
        giver keeps its (capacity + PER_GIVER) most improving of those: the network grows by what
        can matter next, not by every couple a first guess of the prices leaves out."""
        f = self.f
        doubled = root.doubled
        if doubled:
            left, right = root.potentials(np.arange(self.n))
            q = left - right
        else:
            q = root.prices()
        q_t, q_g = q[f.takers], q[f.givers]
        factor = 2 if doubled else 1
        base = (max(0, gap - 1) if gap is not None and doubled else 0) + near
        index, taker, slack, improving = entering_all(f.start, f.giver, f.value, q_t.astype(np.int64),
                                                      q_g.astype(np.int64), factor, base + along, np.sort(self.index),
                                                      PER_TAKER, base)
        if not improving:  # couples within `along` of pricing in come only with one that does
            return False
        giver = f.giver[index].astype(np.int64)
        keep = lowest_per_owner(giver, slack, (self.capacity[f.givers] + PER_GIVER).astype(np.int64), len(f.givers))
        index, taker, giver = index[keep], taker[keep], giver[keep]
        self.t = np.concatenate([self.t, f.takers[taker]])
        self.g = np.concatenate([self.g, f.givers[giver]])
        self.value = np.concatenate([self.value, f.value[index].astype(np.int64)])
        self.index = np.concatenate([self.index, index])
        return True

    def _relax(self, net: np.ndarray, role: np.ndarray, split: bool = False) -> Relaxed:
        """The relaxation over these couples with some `both` sides fixed (a flow either way).
        `split`: every side fixed by `_split_solve`, every person priced, each must-match person
        worth what the doubled network gives it (half the bonus a side)."""
        t, g, ok, bipartite = self._oriented(net, role)
        value = self.value[net]
        if bipartite:
            network, left, right, k = self._single(t, g, value, ok, role if split else None)
            solved = network.solve()
            x = np.zeros(len(t), np.int64)
            x[k] = 2 * solved.used
            relaxed = Relaxed(solved, left, right, x, 0)
            relaxed.cost = self._cost(t[x == 2], g[x == 2], value[x == 2])
            return relaxed
        return self._doubled(t, g, value, ok)

    def _guess(self, net: np.ndarray, role: np.ndarray, split: bool) -> "Guess | None":
        """The auction's prices on the network a first solve would take (`auction.py`); None for a
        doubled network (sides still free), which the loop solves from the start."""
        t, g, ok, bipartite = self._oriented(net, role)
        if not bipartite:
            return None
        network, left, right, k = self._single(t, g, self.value[net], ok, role if split else None)
        held, taker_price, giver_price = auction.guess(network.tail, network.head, network.value, network.capacity,
                                                       network.penalty)
        x = np.zeros(len(t), np.int64)
        x[k[held]] = 2
        y = np.zeros(self.n, np.int64)
        y[np.flatnonzero(left >= 0)], y[np.flatnonzero(right >= 0)] = taker_price, giver_price
        return Guess(x, y)

    def _oriented(self, net: np.ndarray, role: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
        """The network's couples under these sides: (taker, giver, allowed, bipartite). Bipartite when
        every `both` participant's side is fixed; a cross pair whose taker was put on the giving
        side then swaps."""
        t, g, cross = self.t[net], self.g[net], self.cross[net]
        rt, rg = role[t], role[g]
        ok = np.where(cross, (rt == FREE) | (rg == FREE) | (rt != rg), (rg != TAKES) & (rt != GIVES))
        if (self.free_both & (role == FREE)).any():
            return t, g, ok, False
        swap = cross & ((rt == GIVES) | (rg == TAKES))
        return np.where(swap, g, t), np.where(swap, t, g), ok, True

    def _single(self, t, g, value, ok, split: np.ndarray | None = None) -> tuple[Network, np.ndarray, np.ndarray,
                                                                                    np.ndarray]:
        """The bipartite network over the allowed couples: (network, each person's taker node (-1:
        none), giver node, the couples it holds)."""
        n = len(self.capacity)
        bonus = self.bonus
        if split is not None:  # every giver on its side, every taker with a couple or a must-match
            fixed = self.free_both & (split == GIVES)
            takers = np.setdiff1d(self.f.takers, np.flatnonzero(fixed))
            takers = takers[np.isin(takers, t[ok]) | self.must[takers]]
            givers = np.setdiff1d(self.f.givers, np.flatnonzero(self.free_both & (split == TAKES)))
            bonus = self.bonus // 2
        elif self.free_both.any():  # a branch: the people its couples use
            takers, givers = np.unique(t[ok]), np.unique(g[ok])
        else:  # the root: every taker and giver gets a potential for pricing
            takers, givers = np.sort(self.f.takers), np.sort(self.f.givers)
        left, right = np.full(n, -1), np.full(n, -1)
        left[takers], right[givers] = np.arange(len(takers)), np.arange(len(givers))
        k = np.flatnonzero(ok)
        warm = None if self._prices is None else np.maximum(self._prices[givers], 0)
        network = Network(np.ones(len(takers), np.int64), self.capacity[givers], bonus * self.must[takers],
                          bonus * self.must[givers], left[t[k]], right[g[k]], value[k], warm)
        return network, left, right, k

    def _doubled(self, t, g, value, ok) -> Relaxed:
        n = len(self.capacity)
        k = np.flatnonzero(ok)
        half = self.bonus // 2 * self.must
        nodes = np.arange(n)
        solved = Network(self.capacity, self.capacity, half, half, np.concatenate([g[k], t[k]]),
                         np.concatenate([t[k], g[k]]), np.concatenate([value[k], value[k]])).solve()
        x = np.zeros(len(t), np.int64)
        x[k] = solved.used[: len(k)] + solved.used[len(k):]
        return Relaxed(solved, nodes, nodes, x, solved.cost, doubled=True)

    def _cost(self, t, g, value) -> int:
        """An integer solution's cost in the doubled network's units."""
        covered = np.zeros(len(self.capacity), bool)
        covered[t], covered[g] = True, True
        half = self.bonus // 2
        return int(-2 * value.sum() + half * (self.must & ~covered).sum() - half * (self.must & covered).sum())

    def _integer(self, net: np.ndarray, root: Relaxed) -> tuple[np.ndarray, int, int]:
        """Couples (indices into the problem) of an optimal integer solution, nodes explored, cost.
        Best-first branch and bound; its first incumbent puts every `both` participant on the side
        that carries most of its value in the relaxation (usually optimal already: ties between
        equally good cycles are what makes most relaxations fractional)."""
        if ((root.x == 0) | (root.x == 2)).all():
            return net[root.x == 2], 1, root.cost
        best = self._relax(net, self._rounded(net, root.x))
        best_chosen, best_cost, nodes = net[best.x == 2], best.cost, 1
        order = itertools.count()
        heap = [(root.cost, next(order), np.zeros(len(self.capacity), np.int8), root)]
        while heap:
            bound, _, role, relaxed = heapq.heappop(heap)
            if bound > best_cost - 2:
                break  # no open node can beat the incumbent by a whole unit of value
            if relaxed is None:
                nodes += 1
                if nodes > MAX_NODES:
                    raise RuntimeError("branch and bound exceeded its node budget")
                relaxed = self._relax(net, role)
                if relaxed.cost > best_cost - 2:
                    continue
            if ((relaxed.x == 0) | (relaxed.x == 2)).all():
                best_chosen, best_cost = net[relaxed.x == 2], relaxed.cost
                continue
            person = self._branch_on(net, relaxed.x, role)
            for side in (TAKES, GIVES):
                child = _fixed(role, person, side)
                heapq.heappush(heap, (relaxed.cost, next(order), child, None))
        return best_chosen, nodes, best_cost

    def _rounded(self, net: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Every undecided `both` participant on the side where the relaxation uses it most."""
        t, g, n = self.t[net], self.g[net], len(self.capacity)
        gives = np.bincount(g, weights=x, minlength=n)
        takes = np.bincount(t, weights=x, minlength=n)
        return np.where(self.free_both, np.where(takes > gives, TAKES, GIVES), FREE).astype(np.int8)

    def _branch_on(self, net: np.ndarray, x: np.ndarray, role: np.ndarray) -> int:
        """The undecided `both` participant carrying the most fractional value."""
        half = x == 1
        mass = np.bincount(np.concatenate([self.t[net][half], self.g[net][half]]), minlength=len(role))
        undecided = self.free_both & (role == FREE)
        mass = np.where(undecided, mass + 1, 0)  # +1: even cycles alone still need a side fixed
        return int(np.argmax(mass))


def _fixed(role: np.ndarray, person: int, side: int) -> np.ndarray:
    child = role.copy()
    child[person] = side
    return child
