"""Scheduling's business gauges, counted from its own store (FerretDB's $group is too limited)."""

from collections import Counter

from pymongo.asynchronous.database import AsyncDatabase

from shared.observability.business import Counts, Figure

FIGURES = (
    Figure("binome_sessions_completed", "Sessions held, by the pair's programme and country"),
    Figure("binome_pairs_at_risk", "Planned pairs without activity for too long (PairAtRisk sent)"),
)


async def read_figures(db: AsyncDatabase) -> dict[str, Counts]:
    completed: Counts = Counter()
    at_risk: Counts = Counter()
    cursor = db["pairs"].find({}, {"programme_id": 1, "country": 1, "status": 1, "at_risk_since": 1,
                                   "sessions": 1})
    async for d in cursor:
        where = (d["programme_id"], d.get("country", ""))
        completed[where] += sum(1 for s in d.get("sessions") or [] if s.get("status") == "completed")
        # Every pair's programme and country gets a series, 0 included: "no pair at risk" is a figure.
        at_risk[where] += d.get("status") == "planned" and d.get("at_risk_since") is not None
    return {"binome_sessions_completed": completed, "binome_pairs_at_risk": at_risk}
