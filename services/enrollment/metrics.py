"""Enrollment's business gauge, from each programme's participant index counts (no scan)."""

from collections import Counter

from pymongo.asynchronous.database import AsyncDatabase

from enrollment.adapters.participants import participants_index
from shared.mongo.index_counts import recent_counts
from shared.observability.business import Counts, Figure, programme_ids

FIGURES = (Figure("binome_participants_enrolled", "Participants enrolled (not withdrawn nor erased)"),)


async def read_figures(db: AsyncDatabase) -> dict[str, Counts]:
    enrolled: Counts = Counter()
    index = participants_index(db)
    for programme_id in await programme_ids(db["programmes"]):
        for (_role, country, status), n in (await recent_counts(index, programme_id)).items():
            if status == "enrolled":
                enrolled[(programme_id, country)] += n
    return {"binome_participants_enrolled": enrolled}
