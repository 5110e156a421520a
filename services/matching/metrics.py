"""Matching's business gauge, counted from its own store (FerretDB's $group is too limited)."""

from collections import Counter

from pymongo.asynchronous.database import AsyncDatabase

from shared.observability.business import Counts, Figure

FIGURES = (Figure("binome_pairs_active", "Pairs formed and not dissolved, by the pair's country"),)


async def read_figures(db: AsyncDatabase) -> dict[str, Counts]:
    cursor = db["pairs"].find({"status": "active"}, {"programme_id": 1, "country": 1})
    return {"binome_pairs_active": Counter([(d["programme_id"], d.get("country", "")) async for d in cursor])}
