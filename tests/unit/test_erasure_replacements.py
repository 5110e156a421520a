import uuid

from shared.mongo.erasure import _mentions, _replace, replacement_ids, scrubbed
from shared.mongo.tombstones import digest


def test_replacements_are_random_so_no_one_can_compute_them_from_the_old_id():
    person, pair = str(uuid.uuid4()), str(uuid.uuid4())
    first, second = replacement_ids([person, pair]), replacement_ids([person, pair])
    assert first[person] != person and first[person] != second[person] and uuid.UUID(first[person]).version == 4


def test_ids_are_replaced_inside_nested_values_but_a_pending_outbox_keeps_its_exact_bytes():
    person = str(uuid.uuid4())
    outbox = [{"event_id": "e1", "value": f'{{"p":"{person}"}}'}]
    doc = {"_id": person, "members": [{"participant_id": person}], "outbox": outbox, "version": 3}
    new = scrubbed(doc, {person: "X"}, set())
    assert new == {"_id": "X", "members": [{"participant_id": "X"}], "outbox": outbox, "version": 4}
    assert _mentions(doc, [person]) and not _mentions({**new, "outbox": []}, [person])
    # An outbox keeps entries after they are published (emptied lazily): naming the person there is enough
    # for the scrub to visit the document and drop them (erase_ids).
    assert _mentions({"_id": "d", "outbox": outbox}, [person])
    assert _replace([person, {"a": person}], {person: "X"}) == ["X", {"a": "X"}]


def test_a_tombstone_names_a_digest_of_the_id_never_the_id():
    person = uuid.uuid4()
    assert digest(person) == digest(str(person)) and str(person) not in digest(person)
