"""Scheduling's business gauges, from each programme's pair index counts (no scan)."""

from collections import Counter

from pymongo.asynchronous.database import AsyncDatabase

from scheduling.adapters.repositories import pairs_index
from shared.mongo.index_counts import recent_counts
from shared.observability.business import Counts, Figure, programme_ids

FIGURES = (
    Figure("binome_sessions_completed", "Sessions held, by the pair's programme and country"),
    Figure("binome_pairs_at_risk", "Planned pairs without activity for too long (PairAtRisk sent)"),
)


async def read_figures(db: AsyncDatabase) -> dict[str, Counts]:
    completed: Counts = Counter()
    at_risk: Counts = Counter()
    index = pairs_index(db)
    for programme_id in await programme_ids(db["programme_plans"]):
        for (_status, country, risky, held), n in (await recent_counts(index, programme_id)).items():
            where = (programme_id, country)
            completed[where] += int(held) * n
            # Every pair's programme and country gets a series, 0 included: "no pair at risk" is a figure.
            at_risk[where] += n if risky == "yes" else 0
    return {"binome_sessions_completed": completed, "binome_pairs_at_risk": at_risk}
