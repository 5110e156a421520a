"""Where an arrival's time goes inside the matching service (bench.matching_service): every store
command with its start and end, the WAL checkpoints of the bench's database file (FerretDB's own
ticker, deploy/local/ferretdb/wal.go), and the interpreter's garbage collections, each on the
`time.perf_counter` clock the service's seams are timed on."""

import gc
import json
import os
import threading
import time

from pymongo import monitoring


class StoreTimeline(monitoring.CommandListener):
    """Every command of one database: (start, end, name, collection); register before the clients."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.commands: list[tuple[float, float, str, str]] = []
        self._open: dict[int, tuple[float, str, str]] = {}

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.database_name == self.database:
            target = event.command.get(event.command_name, "")
            self._open[event.request_id] = (time.perf_counter(), event.command_name,
                                            target if isinstance(target, str) else "")

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        self._close(event.request_id)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        self._close(event.request_id)

    def _close(self, request_id: int) -> None:
        opened = self._open.pop(request_id, None)
        if opened:
            self.commands.append((opened[0], time.perf_counter(), opened[1], opened[2]))

    def within(self, start: float, end: float) -> list[tuple[float, float, str, str]]:
        return sorted(c for c in self.commands if start <= c[0] < end)


def waves(commands: list[tuple[float, float, str, str]]) -> list[tuple[float, float, list[str]]]:
    """Commands merged where they overlap: each wave is one store round trip on the critical path."""
    merged: list[tuple[float, float, list[str]]] = []
    for start, end, name, target in commands:
        if merged and start < merged[-1][1]:
            s, e, names = merged[-1]
            merged[-1] = (s, max(e, end), [*names, f"{name} {target}"])
        else:
            merged.append((start, end, [f"{name} {target}"]))
    return merged


class WalWatch:
    """Polls the database file's WAL size every millisecond: a drop to 0 is a TRUNCATE checkpoint
    (seen within ~1 ms of its end). A missing file (a store elsewhere) records nothing."""

    def __init__(self, path: str) -> None:
        self.path, self.truncations, self._stop = path, [], threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> "WalWatch":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        last = 0
        while not self._stop.wait(0.001):
            try:
                size = os.stat(self.path).st_size
            except OSError:
                size = 0
            if last > 0 and size == 0:
                self.truncations.append(time.perf_counter())
            last = size


class GcWatch:
    """Each collection's (start, end, generation)."""

    def __init__(self) -> None:
        self.pauses: list[tuple[float, float, int]] = []
        self._start = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.pauses.append((self._start, time.perf_counter(), info["generation"]))


def breakdown(polled: float, committed: float, woken: float, started: float, acked: float,
              timeline: StoreTimeline, wal: WalWatch, gcw: GcWatch, put_back: list[float],
              entered: float | None = None, commit_started: float | None = None) -> dict:
    """One arrival, in ms: its store round trips in a row up to the commit (and the longest), those
    before the relay was woken, the relay's wait from that wake to its publish, the broker's ack;
    checkpoints and GC in its span. With `entered` (its use case called) and `commit_started` (the
    decision made, its writes starting): the delivery's part (the poll to the use case: inbox, the
    key, the erasure epoch) and the decision's own (the use case to its commit: the pool, the domain
    call, the events sealed)."""
    stages = {} if entered is None or commit_started is None else {
        "to_use_case_ms": (entered - polled) * 1000, "deciding_ms": (commit_started - entered) * 1000,
        "deciding_trips": len(waves(timeline.within(entered, commit_started)))}
    trips = waves(timeline.within(polled, committed))
    longest = max(trips, key=lambda w: w[1] - w[0], default=(0.0, 0.0, []))
    return {
        "own_ms": (acked - polled) * 1000, "trips": len(trips),
        "trips_to_wake": len(waves(timeline.within(polled, woken))),
        "store_ms": sum(e - s for s, e, _ in trips) * 1000,
        "decide_ms": (committed - polled) * 1000, "woken_ms": (woken - polled) * 1000,
        "relay_wait_ms": (started - woken) * 1000, "relay_trips": len(waves(timeline.within(woken, started))),
        "broker_ack_ms": (acked - started) * 1000,
        "longest_trip_ms": (longest[1] - longest[0]) * 1000, "longest_trip": longest[2][:4],
        "checkpoints": sum(1 for t in wal.truncations if polled <= t <= acked + 0.002),
        "put_back": sum(1 for t in put_back if polled <= t <= acked),
        "gc_ms": sum(e - s for s, e, _ in gcw.pauses if polled <= s <= acked) * 1000,
        "waves": [(round((s - polled) * 1000, 1), round((e - s) * 1000, 1), sorted(set(names)))
                  for s, e, names in waves(timeline.within(polled, acked))],
        **stages,
    }


def summary(rows: list[dict]) -> dict:
    """Medians of the parts, and what the slowest 2 % had in common with the rest."""
    import numpy as np

    def median(key: str) -> float:
        return round(float(np.median([r[key] for r in rows])), 1)

    cut = float(np.percentile([r["own_ms"] for r in rows], 98))
    slow = [r for r in rows if r["own_ms"] >= cut]
    keys = ("trips", "trips_to_wake", "store_ms", "decide_ms", "woken_ms", "relay_wait_ms", "relay_trips",
            "broker_ack_ms", "longest_trip_ms", *(k for k in ("to_use_case_ms", "deciding_ms") if k in rows[0]))
    return {"median": {k: median(k) for k in keys},
            "share_with_checkpoint": round(sum(1 for r in rows if r["checkpoints"]) / len(rows), 2),
            "put_back": sum(r["put_back"] for r in rows), "gc_over_50ms": sum(1 for r in rows if r["gc_ms"] > 50),
            "slowest": [{k: (round(v, 1) if isinstance(v, float) else v) for k, v in r.items() if k != "waves"}
                        for r in slow]}


def append_lines(path: str, rows: list[dict]) -> None:
    with open(path, "a") as out:
        out.writelines(json.dumps(row) + "\n" for row in rows)
