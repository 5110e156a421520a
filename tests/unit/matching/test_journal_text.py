"""A decision's journal is stored as JSON text in its programme document (adapters/journal.py):
the erasure scrub must reach the ids inside it as it reached them in the nested form."""

import json
import uuid

from matching.adapters.journal import journal_of, journal_text
from matching.domain.model import Pair
from shared.mongo.erasure import _mentions, scrubbed
from tests.unit.matching.builders import person


def _decision():
    pid = uuid.uuid4()
    mentee, mentor = person("mentee", pid), person("mentor", pid)
    pair = Pair(uuid.uuid4(), pid, mentor.participant_id, mentee.participant_id, "FR", "fr", 0.5,
                {"availability": 0.4}, {"python": "mentor_teaches"}, version=1)
    return pid, mentee, pair, journal_of([mentee], [pair])


def test_the_stored_journal_is_one_string_holding_the_nested_journal_as_json():
    _, _, _, journal = _decision()
    text = journal_text(journal)
    assert isinstance(text, str)
    assert json.loads(text) == journal


def test_an_erased_persons_ids_in_a_text_journal_are_replaced_by_the_scrub():
    pid, mentee, pair, journal = _decision()
    person_id, pair_id = str(mentee.participant_id), str(pair.pair_id)
    doc = {"_id": str(pid), "version": 4, "outbox": [], "journal": journal_text(journal)}
    assert _mentions(doc, [person_id])  # the scrub visits the programme document
    new = scrubbed(doc, {person_id: "X", pair_id: "Y"}, set())
    assert person_id not in repr(new) and pair_id not in repr(new)
    assert isinstance(new["journal"], str) and '"_id":"X"' in new["journal"] and '"_id":"Y"' in new["journal"]
