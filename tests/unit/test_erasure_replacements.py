import uuid

from shared.mongo.erasure import _mentions, _replace, replacement_ids


def test_replacements_are_the_same_in_every_service_and_unlinkable_without_the_event():
    event, other_event = uuid.uuid4(), uuid.uuid4()
    person, pair = str(uuid.uuid4()), str(uuid.uuid4())
    first, second = replacement_ids(event, [person, pair]), replacement_ids(event, [person, pair])
    assert first == second and first[person] != person
    assert replacement_ids(other_event, [person])[person] != first[person]


def test_ids_are_replaced_inside_nested_values_and_event_json_text():
    person = str(uuid.uuid4())
    doc = {"_id": person, "members": [{"participant_id": person}], "outbox": [{"value": f'{{"p":"{person}"}}'}]}
    new = _replace(doc, {person: "X"})
    assert new == {"_id": "X", "members": [{"participant_id": "X"}], "outbox": [{"value": '{"p":"X"}'}]}
    assert _mentions(doc, [person]) and not _mentions(new, [person])
