"""Every call of an operation on personal data is in the owning service's audit trail, allowed or
not, with who, which role, what, about whom, when and the outcome; only platform admins read it."""

from shared.security import PARTICIPANT, PLATFORM_ADMIN, PROGRAMME_MANAGER
from tests.access import enrollment
from tests.local_issuer import LOCAL


async def test_reads_changes_and_refusals_on_a_person_are_recorded_and_shown_to_admins_only():
    world = await enrollment.app()()
    pid, owner = world.ids["P"], world.ids["A"]
    audit = world.http._transport.app.state.audit  # the in-memory trail of this app
    audit.entries.clear()
    own = LOCAL.token(PARTICIPANT, participants=[owner], sub="owner-subject")
    read = await world.http.get(f"/programmes/{pid}/participants/{owner}", headers={"Authorization": f"Bearer {own}"})
    abroad = LOCAL.token(PROGRAMME_MANAGER, countries=["JP"], sub="manager-jp")
    refused = await world.http.post(f"/programmes/{pid}/participants/{owner}/erasure",
                                    headers={"Authorization": f"Bearer {abroad}"})
    anonymous = await world.http.get(f"/programmes/{pid}/participants/{owner}")
    assert (read.status_code, refused.status_code, anonymous.status_code) == (200, 404, 401)

    entries = (await world.http.get("/audit", headers=LOCAL.admin())).json()["items"]
    assert [(e["subject"], e["role"], e["operation"], e["status"]) for e in reversed(entries)] == [
        ("owner-subject", PARTICIPANT, "participants.read", 200),
        ("manager-jp", PROGRAMME_MANAGER, "participants.erase", 404),
        (None, None, "participants.read", 401),
    ]
    read, *refusals = reversed(entries)
    assert read["participant_ids"] == [str(owner)] and read["path"] == f"/programmes/{pid}/participants/{owner}"
    # A refusal disclosed nothing: it keeps the route, not the id it named (which may be erased later).
    assert [(e["method"], e["path"], e["participant_ids"]) for e in refusals] == [
        ("POST", "/programmes/{programme_id}/participants/{participant_id}/erasure", []),
        ("GET", "/programmes/{programme_id}/participants/{participant_id}", [])]
    about = (await world.http.get("/audit", params={"participant_id": str(owner)}, headers=LOCAL.admin())).json()
    assert [e["operation"] for e in about["items"]] == ["participants.read"]
    assert (await world.http.get("/audit", headers={"Authorization": f"Bearer {own}"})).status_code == 403


async def test_non_personal_operations_leave_no_entry():
    world = await enrollment.app()()
    audit = world.http._transport.app.state.audit
    audit.entries.clear()
    assert (await world.http.get("/curricula", headers=LOCAL.headers(PLATFORM_ADMIN))).status_code == 200
    assert audit.entries == []
