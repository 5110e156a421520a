"""A pair as stored (adapters/pair_documents.py): each fact once, nothing at its usual value, read back equal;
documents of the earlier shape read the same (issue 14: FerretDB rewrites whole documents)."""

from dataclasses import fields, replace
from datetime import UTC, datetime
from uuid import uuid4

import bson

from scheduling.adapters.pair_documents import (
    SESSION_ALWAYS,
    SESSION_DEFAULTS,
    pair_from_doc,
    pair_to_doc,
    removed_fields,
    session_from_doc,
    session_to_doc,
)
from scheduling.domain.availability import Slot, WeeklyAvailability
from scheduling.domain.model import Member, PendingSession, Session
from tests.fakes.scheduling import FakeSchedulingUnitOfWork
from tests.unit.scheduling import builders
from tests.unit.scheduling.earlier_shape import earlier_pair_doc

AT = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)


async def _planned():
    uow = FakeSchedulingUnitOfWork()
    return await builders.planned(uow, await builders.programme(uow))


def _stored(doc: dict) -> dict:
    """As the store hands it back: BSON round trip (naive UTC datetimes), with a version."""
    return bson.decode(bson.encode({**doc, "version": 3}))


def test_the_stored_defaults_name_every_session_field_once() -> None:
    names = [f.name for f in fields(Session)]
    assert sorted(names) == sorted(["session_id", *SESSION_ALWAYS, *SESSION_DEFAULTS])


def test_a_scheduled_session_stores_only_what_differs_from_the_defaults_and_reads_back_equal() -> None:
    session = Session(uuid4(), 2, AT, 60, module=2)
    doc = session_to_doc(session)
    assert set(doc) == {"session_id", "sequence", "starts_at", "duration_minutes", "module"}
    assert session_from_doc(dict(doc)) == session


def test_a_completed_group_session_reads_back_equal_and_owns_its_module_list() -> None:
    session = Session(uuid4(), 2, AT, 60, status="completed", completed_at=AT, actual_minutes=55, module=2,
                      modules_covered=[1, 2], reminded=True, group_key="g-1")
    doc = session_to_doc(session)
    assert session_from_doc(dict(doc)) == session
    session.modules_covered.append(3)
    assert doc["modules_covered"] == [1, 2]
    assert session_from_doc(doc).modules_covered is not doc["modules_covered"]


async def test_a_planned_pair_reads_back_equal_from_a_smaller_document_without_nulls_or_repeated_ids() -> None:
    pair = await _planned()
    doc = pair_to_doc(pair)
    assert None not in doc.values() and "session_ids" not in doc and "pending" not in doc
    assert all("status" not in s for s in doc["sessions"]), "scheduled is the default"
    assert pair_from_doc(_stored(doc)) == replace(pair, version=3)
    assert len(bson.encode(doc)) < 0.7 * len(bson.encode(earlier_pair_doc(pair))), "the point of the shape"


async def test_a_member_with_a_region_and_a_pair_with_everything_set_read_back_equal() -> None:
    pair = await _planned()
    mentor = Member(uuid4(), "ES", WeeklyAvailability("Europe/Madrid", (Slot(0, "08:30", "12:00"),)), "ES-CT")
    full = replace(pair, mentor=mentor, status="partially_planned", unschedulable_reason="no date",
                   pending=[PendingSession(4, None, "holiday")], last_activity_at=AT, at_risk_since=AT)
    assert pair_from_doc(_stored(pair_to_doc(full))) == replace(full, version=3)


async def test_a_document_of_the_earlier_shape_reads_as_the_same_pair() -> None:
    pair = replace(await _planned(), at_risk_since=AT, last_activity_at=AT)
    pair.sessions[0] = replace(pair.sessions[0], status="completed", completed_at=AT, modules_covered=[1])
    assert pair_from_doc(_stored(earlier_pair_doc(pair))) == replace(pair, version=3)


async def test_a_write_unsets_the_fields_it_clears_and_the_earlier_shapes_session_ids() -> None:
    pair = await _planned()
    at_risk = pair_to_doc(replace(pair, at_risk_since=AT))
    assert "at_risk_since" not in removed_fields(at_risk) and "session_ids" in removed_fields(at_risk)
    assert {"at_risk_since", "pending", "unschedulable_reason"} <= set(removed_fields(pair_to_doc(pair)))
