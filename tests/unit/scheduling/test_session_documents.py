"""A pair's sessions as stored: the same fields as the domain object, read back equal, sharing nothing mutable."""

from datetime import UTC, datetime
from uuid import uuid4

from scheduling.adapters.documents import _session_from_doc, _session_to_doc
from scheduling.domain.model import Session


def test_a_session_document_reads_back_as_the_same_session_and_owns_its_module_list() -> None:
    session = Session(uuid4(), 2, datetime(2026, 3, 4, 9, 30, tzinfo=UTC), 60, status="completed",
                      completed_at=datetime(2026, 3, 4, 10, 30, tzinfo=UTC), actual_minutes=55, module=2,
                      modules_covered=[1, 2], group_key="g-1")
    doc = _session_to_doc(session)
    assert doc["session_id"] == str(session.session_id)
    assert set(doc) == set(vars(session))
    assert _session_from_doc(dict(doc)) == session
    session.modules_covered.append(3)
    assert doc["modules_covered"] == [1, 2]
