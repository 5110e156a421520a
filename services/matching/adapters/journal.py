"""A decision's documents, written after the programme document that commits it.

The programme document (and each batch of a published round) carries the decision's candidate and
pair documents; they are written right after it, and written again by whoever next loads the pool
if the process stopped in between. Writing them again is harmless: a new document that is already
there is the same document, and a changed one is replaced by the state the decision left.

The journal is stored as JSON text, one string field (`journal_text`): FerretDB v1 decodes and
re-encodes every field of a document on each read and update, the next decision's version read
included, and a mentor's journal (ten pairs and a candidate, ~250 fields) doubled the time of both
(docs/benchmarks.md, cont12h). The erasure scrub replaces ids inside strings too
(shared/mongo/erasure.py), so the text is scrubbed as the nested form was. Documents written
before hold the nested form, which is read as well.
"""

import json
import weakref
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from matching.adapters import documents as docs
from matching.domain.model import Candidate, Pair
from shared.concurrently import all_settled
from shared.mongo.inserts import insert_absent
from shared.mongo.programme_index import ProgrammeIndex


def pairs_index(db: AsyncDatabase) -> ProgrammeIndex:
    """The pages `GET /pairs?programme_id=` lists from (shared/mongo/programme_index.py says why):
    256 of them per programme, so that writing a decision's pairs rewrites pages of a few KB
    (16 pages of thousands of pairs took 100+ ms a write; docs/benchmarks.md). The pages a decision
    writes are remembered, so the next decision, committed from the version this one wrote, writes
    its entries without reading them (`apply`'s versions; shared/mongo/index_memory.py)."""
    return ProgrammeIndex(db, "pairs", counted=("status", "country"), digits=2, remember=True)


def kept_pairs_index(db: AsyncDatabase) -> ProgrammeIndex:
    """`pairs_index(db)` built once per database object, for the units of work (one per event): it
    holds nothing of its own (its pages' memory is the collection's, index_memory.py)."""
    index = _KEPT.get(id(db))
    if index is None or index.pages.database is not db:  # pymongo's equality: two clients to one server are equal
        index = _KEPT[id(db)] = pairs_index(db)
        weakref.finalize(db, _KEPT.pop, id(db), None)
    return index


_KEPT: dict[int, ProgrammeIndex] = {}


def pairs_index_before(db: AsyncDatabase) -> ProgrammeIndex:
    """The 16-page layout the pairs were indexed in before (moved at start-up by ensure_indexes)."""
    return ProgrammeIndex(db, "pairs", counted=("status", "country"))


def journal_of(candidates: list[Candidate], pairs: list[Pair]) -> dict[str, list[dict[str, Any]]]:
    """The documents to write (versions already moved on by the caller)."""
    return {"candidates": [{**docs.candidate_to_doc(c), "version": c.version} for c in candidates],
            "pairs": [{**docs.pair_to_doc(p), "version": p.version} for p in pairs]}


def journal_text(journal: dict[str, list[dict[str, Any]]]) -> str:
    """The journal as its programme document (or round batch) stores it."""
    return json.dumps(journal, separators=(",", ":"))


def _read(stored: str | dict[str, list[dict[str, Any]]] | None) -> dict[str, list[dict[str, Any]]]:
    if isinstance(stored, str):
        return json.loads(stored)
    return stored or {}  # nested: written before the journal was stored as text


async def apply(db: AsyncDatabase, journal: str | dict[str, list[dict[str, Any]]] | None,
                versions: tuple[int, int] | None = None) -> None:
    """`versions`: the programme document's version before and after the decision's write, when it
    was just written by this process (the index pages it wrote at the first then stand for a read);
    None when a journal is written again (a pool load, a round's batch): the pages are read."""
    # Index entries before the pairs themselves: a listed pair may be missing (lists skip it), a
    # stored one is never unlisted; written again with the journal, they stay the same. The
    # candidates depend on nothing: they are written beside the index entries, not after them.
    journal = _read(journal)
    by_programme: dict[str, dict[str, dict[str, Any]]] = {}
    for doc in journal.get("pairs", []):
        by_programme.setdefault(doc["programme_id"], {})[str(doc["_id"])] = {"status": doc["status"],
                                                                          "country": doc["country"]}
    await all_settled([*(kept_pairs_index(db).put(programme_id, entries, versions)
                         for programme_id, entries in by_programme.items()),
                       _write(db, "candidates", journal.get("candidates", []))])
    await _write(db, "pairs", journal.get("pairs", []))


async def _write(db: AsyncDatabase, kind: str, entries: list[dict[str, Any]]) -> None:
    collection = db[kind]
    fresh = [_stored(d) for d in entries if d["version"] == 1]
    # A document's last state only (it is there once per decision anyway): the writes are then
    # independent of one another and go together.
    changed = list({d["_id"]: _stored(d) for d in entries if d["version"] != 1}.values())
    await all_settled([insert_absent(collection, fresh),  # some were written before a crash: they are the same
                       *(collection.replace_one({"_id": doc["_id"]}, doc, upsert=True) for doc in changed)])


def _stored(doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "outbox": [], "outbox_pending": False}
