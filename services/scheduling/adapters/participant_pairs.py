"""Each participant's pairs by `_id` (participant id -> pair ids), so finding them (a withdrawal, an
erasure, a changed availability) reads one document and the pairs by `_id` instead of filtering every
pair on `member_ids` (a scan on FerretDB v1). Written before the pair it names, only ever added to
(a participant's pairs are never deleted); the erasure scrub rewrites it like any document
(shared/mongo/erasure.py: a new random `_id`, the pairs' new ids)."""

from collections import defaultdict

from pymongo import UpdateOne
from pymongo.asynchronous.database import AsyncDatabase

from shared.mongo.updates import bulk_update

COLLECTION = "participant_pairs"
SEEDED = "~seeded"  # the marker: pairs stored before the look-up existed have been filed


class ParticipantPairs:
    def __init__(self, db: AsyncDatabase) -> None:
        self.collection, self.pairs = db[COLLECTION], db["pairs"]

    async def of(self, participant_id: str) -> list[str]:
        doc = await self.collection.find_one({"_id": participant_id})
        return sorted(doc["pair_ids"]) if doc else []

    async def file(self, pair_id: str, member_ids: list[str]) -> None:
        await self.file_many({pair_id: member_ids})

    async def file_many(self, members: dict[str, list[str]]) -> None:
        """Files pairs (pair id -> member ids) in one round trip: one upsert per participant."""
        pair_ids: dict[str, list[str]] = defaultdict(list)
        for pair_id, member_ids in members.items():
            for member in member_ids:
                pair_ids[member].append(pair_id)
        if pair_ids:
            await bulk_update(self.collection, [_added(m, ids) for m, ids in pair_ids.items()], ordered=False)

    async def seed(self) -> None:
        """Once per database, at start: files the pairs stored before the look-up existed (one scan, then
        `file_many`)."""
        if await self.collection.find_one({"_id": SEEDED}):
            return
        await self.file_many({doc["_id"]: doc.get("member_ids", [])
                              async for doc in self.pairs.find({}, {"member_ids": 1})})
        await self.collection.update_one({"_id": SEEDED}, {"$set": {"pair_ids": []}}, upsert=True)


def _added(participant_id: str, pair_ids: list[str]) -> UpdateOne:
    # An update by `_id` (pushed down by FerretDB); $addToSet makes replays and races converge.
    return UpdateOne({"_id": participant_id}, {"$addToSet": {"pair_ids": {"$each": pair_ids}}}, upsert=True)
