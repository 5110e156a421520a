"""Business gauges by programme and country, with bounded label cardinality: beyond the
`max_programmes` largest programmes, the rest are added up under programme="other" (countries are
ISO codes, a bounded set already)."""

from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Gauge
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

Counts = Counter[tuple[str, str]]  # (programme id, country) -> how many
ReadFigures = Callable[[AsyncDatabase], Awaitable[Mapping[str, Counts]]]


@dataclass(frozen=True)
class Figure:
    name: str
    help: str


class BusinessGauges:
    def __init__(self, registry: CollectorRegistry, figures: Sequence[Figure], max_programmes: int = 20) -> None:
        self.max_programmes = max_programmes
        self.gauges = {f.name: Gauge(f.name, f.help, ["programme", "country"], registry=registry) for f in figures}

    def show(self, figures: Mapping[str, Counts]) -> None:
        for name, gauge in self.gauges.items():
            counts = self.bounded(figures.get(name, Counter()))
            gauge.clear()
            for (programme, country), n in counts.items():
                gauge.labels(programme, country).set(n)

    def bounded(self, counts: Counts) -> Counts:
        per_programme: Counter[str] = Counter()
        for (programme, _), n in counts.items():
            per_programme[programme] += n
        kept = {p for p, _ in per_programme.most_common(self.max_programmes)}
        folded: Counts = Counter()
        for (programme, country), n in counts.items():
            folded[(programme if programme in kept else "other", country or "unknown")] += n
        return folded


async def programme_ids(programmes: AsyncCollection) -> list[str]:
    """The programmes a service knows, from its collection of one document per programme: the gauges
    then read each programme's index counts (shared/mongo/programme_index.py), never the large
    collections, so a refresh costs what the programmes number, not what they hold."""
    return [str(d["_id"]) async for d in programmes.find({}, {"_id": 1})]
