"""Enrollment's business gauge, counted from its own store (FerretDB's $group is too limited)."""

from collections import Counter

from pymongo.asynchronous.database import AsyncDatabase

from shared.observability.business import Counts, Figure

FIGURES = (Figure("binome_participants_enrolled", "Participants enrolled (not withdrawn nor erased)"),)


async def read_figures(db: AsyncDatabase) -> dict[str, Counts]:
    cursor = db["participants"].find({"status": "enrolled"}, {"programme_id": 1, "country": 1})
    return {"binome_participants_enrolled": Counter([(d["programme_id"], d.get("country", "")) async for d in cursor])}
