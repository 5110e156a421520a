"""Matching's business gauge, from each programme's pair index counts (no scan)."""

from collections import Counter

from pymongo.asynchronous.database import AsyncDatabase

from matching.adapters.journal import pairs_index
from shared.mongo.index_counts import recent_counts
from shared.observability.business import Counts, Figure, programme_ids

FIGURES = (Figure("binome_pairs_active", "Pairs formed and not dissolved, by the pair's country"),)


async def read_figures(db: AsyncDatabase) -> dict[str, Counts]:
    active: Counts = Counter()
    index = pairs_index(db)
    for programme_id in await programme_ids(db["programmes"]):
        for (status, country), n in (await recent_counts(index, programme_id)).items():
            if status == "active":
                active[(programme_id, country)] += n
    return {"binome_pairs_active": active}
