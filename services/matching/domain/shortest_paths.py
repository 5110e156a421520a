"""Shortest distances from the sink over a residual network (compiled, numba): the potentials that
certify a flow (`network.py`). A queue-based Bellman-Ford (each node re-examined only when its
distance fell); the distances are the same as any other shortest-path method's."""

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def from_sink(start, head, cost, nodes, unreached):
    """dist[v] = shortest distance sink -> v (arcs of node u: head/cost[start[u]:start[u + 1]]),
    `unreached` where no path leads; None if a negative cycle is reachable (the flow was not optimal)."""
    dist = np.full(nodes, unreached, np.int64)
    source = nodes - 1
    dist[source] = 0
    queue = np.empty(nodes, np.int64)  # circular: a node is in it at most once
    queued = np.zeros(nodes, np.bool_)
    rounds = np.zeros(nodes, np.int64)
    queue[0], queued[source] = source, True
    first, size = 0, 1
    while size:
        u = queue[first]
        first = (first + 1) % nodes
        size -= 1
        queued[u] = False
        for k in range(start[u], start[u + 1]):
            v, d = head[k], dist[u] + cost[k]
            if d < dist[v]:
                dist[v] = d
                if not queued[v]:
                    rounds[v] += 1
                    if rounds[v] > nodes:
                        return None
                    queue[(first + size) % nodes] = v
                    queued[v] = True
                    size += 1
    return dist
