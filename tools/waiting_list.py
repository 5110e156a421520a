"""Who matching cannot pair, in its own words: how the main job and bench.pipeline know how many pairs to expect.

In continuous mode a newcomer takes the best free counterpart it can meet, and no pair is undone
for a later arrival; so the last people left may be unable to meet each other, and they wait. With
the demo's export that happens in about one 1,000-person run in 150 (a New York mentor free 10:00–18:00
and a Warsaw mentee free 08:00–16:00 their time share no hour): expecting exactly N/2 pairs is then
wrong. A round preview plans everyone still free and names a reason for each it cannot pair; it is
discarded here, nothing is published. Matching's answer is final only when every enrolled person is
in its pool (the free ones in the preview, the paired ones in pairs): else one is still on the way.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class WaitingList:
    complete: bool  # matching holds every enrolled person and can pair none of those still free
    proposals: int  # couples it could still make among the free: 0 when continuous pairing has done its work
    unmatched_total: int
    unmatched: list[dict[str, Any]] = field(default_factory=list)  # the first page: participant_id, reason
    published: int = 0  # pairs published from the preview (publish_pairable)

    def reasons(self) -> str:
        counts = Counter(u["reason"] for u in self.unmatched)
        return ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))


async def waiting_list(http: httpx.AsyncClient, matching: str, headers: dict[str, str], programme_id: str,
                       paired_people: int, enrolled: int, publish_pairable: bool = False) -> WaitingList | None:
    """Previews a round of the programme (as its manager or an admin) and discards it, or publishes it
    when it finds couples and `publish_pairable`; None when a round was already pending (someone
    else's: left alone). `paired_people`: the distinct members of the programme's active pairs.

    The preview pauses continuous pairing while it is pending: an enrollment applied meanwhile joins
    the pool unpaired. Ask only once the paired count has stopped moving; if someone was still on the
    way, the answer is not `complete`, and a later preview finds them (`publish_pairable` pairs them)."""
    base = f"{matching}/programmes/{programme_id}/rounds"
    response = await http.post(base, params={"limit": 50}, headers=headers)
    response.raise_for_status()
    if response.status_code != 201:
        return None
    round_ = response.json()
    publish = publish_pairable and round_["proposals_total"] > 0
    decided = await http.post(f"{base}/{round_['round_id']}/decision",
                              json={"decision": "publish" if publish else "discard"}, headers=headers)
    decided.raise_for_status()
    free, proposals = round_["unmatched_total"], round_["proposals_total"]
    return WaitingList(complete=not proposals and paired_people + free == enrolled, proposals=proposals,
                       unmatched_total=free, unmatched=round_["unmatched"],
                       published=decided.json()["published_pairs"] if publish else 0)
