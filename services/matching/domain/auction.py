"""A first guess of the prices, by an auction (compiled, numba), in place of the certificate loop's
first exact solve.

The loop (`exact.py`) solves a network, prices every absent couple with the solve's potentials,
brings in those that price in, and solves again until none does. Only its last solve decides the
result; the earlier ones only choose which couples the next network holds. The first one matters
least: it starts from each taker's best couples before any price is known (37,000 of the 52,000
pairs at 100,000 x 10,000 on the cross generator) and mostly tells which mentors are contested. An
auction on the same network tells that in a tenth of the time, approximately, and the certificate
loop then starts from the network it chooses.

The auction (forward, similar objects): each free taker bids for the giver with the best value
minus price, raising that price by the gap to its second best plus `eps`; a giver holds its
`capacity` highest bids, and its price is the lowest one it holds once full (0 before). A taker
keeps out when no giver is worth more than its outside option (0; a must-match taker's is minus
its penalty, so it bids harder). It stops when every taker holds a seat or keeps out, or after
`budget` bids: a price war (must-match takers outbidding each other up to their penalty) is cut
short, since the result is only a guess.
"""

import numpy as np
from numba import njit

from matching.domain.assignment import best_two, empty_seats, take_seat

EPS = 8  # bid increment: coarse prices are enough for a guess (2 gave the same passes, more bids)
BIDS_PER_TAKER = 40  # the budget; at 100,000 x 10,000 cross the auction ends after ~8 bids a taker


@njit(cache=True, nogil=True)
def auction(start, giver, value, capacity, outside, eps, budget):
    """Takers 0..len(start)-2; taker t's couples are giver[start[t]:start[t + 1]] with `value`.
    Returns (each taker's giver or -1, each giver's price, bids made). Seats are taken as the exact
    auction takes them (`assignment.take_seat`)."""
    n_t, n_g = len(start) - 1, len(capacity)
    seat_start, holder, bid_of, held, chosen, seat_of = empty_seats(capacity, n_t)
    price = np.zeros(n_g, np.int64)
    queue = np.arange(n_t)  # circular: a taker is in it at most once
    head, size, bids = 0, n_t, 0
    while size and bids < budget:
        t = queue[head]
        head = (head + 1) % n_t
        size -= 1
        best, second, pick = best_two(t, start, giver, value, capacity, price, outside)
        if pick < 0:
            continue  # keeps out
        bids += 1
        g = giver[pick]
        out = take_seat(t, pick, g, price[g] + best - second + eps, capacity, seat_start, holder, bid_of, held, price,
                    chosen, seat_of)
        if out >= 0:
            queue[(head + size) % n_t] = out
            size += 1
    owner = np.full(n_t, -1, np.int64)
    for t in range(n_t):
        if chosen[t] >= 0:
            owner[t] = giver[chosen[t]]
    return owner, price, bids


def guess(tail: np.ndarray, head: np.ndarray, value: np.ndarray, capacity: np.ndarray,
          penalty: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A network's couples (taker node `tail`, giver node `head`): (each couple held (bool), each
    taker's price, each giver's price), prices such that a couple outside could improve the
    auction's result only if taker price + giver price < its value, as the exact solve's."""
    n_t = len(penalty)
    order = np.argsort(tail, kind="stable")
    start = np.searchsorted(tail[order], np.arange(n_t + 1))
    value = value.astype(np.int64)
    outside = -penalty.astype(np.int64)
    owner, price, _ = auction(start, head[order].astype(np.int64), value[order], capacity.astype(np.int64), outside,
                              EPS, BIDS_PER_TAKER * max(n_t, 1))
    taker_price = outside.copy()
    np.maximum.at(taker_price, tail, value - price[head])
    return owner[tail] == head, taker_price, price
