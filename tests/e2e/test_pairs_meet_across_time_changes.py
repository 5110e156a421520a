"""A Sydney-New York pair whose series spans both clock changes (New York's spring one and Sydney's
autumn one) and a Kathmandu pair (UTC+5:45) are matched and fully planned, with enrollment,
matching and scheduling as separate OS processes on the real infrastructure."""

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from shared.contracts import topic_for
from shared.contracts.matching import PairCreated
from shared.contracts.scheduling import SessionScheduled
from shared.security import PLATFORM_ADMIN
from tests.factories import participant_request
from tests.kafka_probe import TopicReader
from tools.identity import Identity
from tools.processes import running_services
from tools.servers import ROOT, Servers

PROGRAMME = {"code": "TZ-2027", "name": "Across time changes", "countries": ["AU", "US", "NP"],
             "languages": ["en", "ne"], "sessions_per_pair": 6, "session_minutes": 60, "cadence_days": 14,
             "starts_on": "2027-02-15", "ends_on": "2027-06-30"}


def person(employee_id: str, role: str, country: str, zone: str, language: str, slot: tuple[int, str, str],
           region: str | None = None) -> dict:
    weekday, start, end = slot
    return participant_request(employee_id, role, country=country, time_zone=zone, languages=[language],
                               region=region, availability=[{"weekday": weekday, "start": start, "end": end}])


def inside(starts_at: str, zone: str, slot: tuple[int, str, str]) -> bool:
    local = datetime.fromisoformat(starts_at).astimezone(ZoneInfo(zone))
    end = local + timedelta(minutes=60)
    return local.weekday() == slot[0] and f"{local:%H:%M}" >= slot[1] and f"{end:%H:%M}" <= slot[2]


async def test_a_sydney_new_york_pair_and_a_kathmandu_pair_are_fully_planned(servers: Servers, run_id: str,
                                                                             people: Identity):
    prefix = f"e2e_tz_{run_id}_"
    admin = await people.headers(PLATFORM_ADMIN)
    new_york, sydney = (0, "16:00", "19:00"), (1, "07:00", "10:00")  # New York's Monday evening is Sydney's Tuesday
    kathmandu = (2, "09:00", "10:00")  # 03:15 UTC: only a 15-minute grid reaches it
    with running_services(servers, ROOT / ".local" / "logs" / f"e2e-tz-{run_id}", database_prefix=prefix,
                          names=("enrollment", "matching", "scheduling")) as svc:
        observed = [topic_for(PairCreated), topic_for(SessionScheduled)]
        async with httpx.AsyncClient(timeout=10, headers=admin) as http, \
                TopicReader(servers, observed, principal="enterprise-subscriber") as kafka:
            url = svc["enrollment"].url
            pid = (await http.post(f"{url}/programmes", json={**PROGRAMME, "code": f"TZ-{run_id}"})).json()[
                "programme_id"]
            enrolling = [person("NY-1", "mentor", "US", "America/New_York", "en", new_york, "US-NY"),
                      person("SY-1", "mentee", "AU", "Australia/Sydney", "en", sydney, "AU-NSW"),
                      person("KT-1", "mentor", "NP", "Asia/Kathmandu", "ne", kathmandu),
                      person("KT-2", "mentee", "NP", "Asia/Kathmandu", "ne", kathmandu)]
            ids = {}
            for body in enrolling:
                response = await http.post(f"{url}/programmes/{pid}/participants", json=body)
                assert response.status_code == 201, response.text
                ids[body["employee_id"]] = response.json()["participant_id"]

            created = await kafka.wait_for(lambda r: r.topic == topic_for(PairCreated)
                                           and r.json().get("programme_id") == pid, count=2, timeout=90)
            pairs = {r.json()["mentee"]["participant_id"]: r.json()["pair_id"] for r in created}
            scheduled = await kafka.wait_for(lambda r: r.topic == topic_for(SessionScheduled)
                                             and r.json().get("pair_id") in pairs.values(), count=12, timeout=90)
            assert len(scheduled) == 12
            for mentee, zones in ((ids["SY-1"], [("America/New_York", new_york), ("Australia/Sydney", sydney)]),
                                  (ids["KT-2"], [("Asia/Kathmandu", kathmandu)])):
                pair = (await http.get(f"{svc['scheduling'].url}/pairs/{pairs[mentee]}")).json()
                assert pair["status"] == "planned", pair
                starts = [s["starts_at"] for s in sorted(pair["sessions"], key=lambda s: s["module"])]
                assert len(starts) == 6
                assert all(inside(t, zone, slot) for t in starts for zone, slot in zones)
                local_days = [datetime.fromisoformat(t).astimezone(ZoneInfo(zones[-1][0])).date() for t in starts]
                assert [(b - a).days for a, b in itertools.pairwise(local_days)] == [14] * 5
            sydney_starts = [datetime.fromisoformat(s["starts_at"]) for s in (await http.get(
                f"{svc['scheduling'].url}/pairs/{pairs[ids['SY-1']]}")).json()["sessions"]]
            assert min(sydney_starts) < datetime(2027, 3, 14, 7, tzinfo=UTC), "before New York's spring switch"
            assert max(sydney_starts) > datetime(2027, 4, 3, 16, tzinfo=UTC), "after Sydney's autumn switch"
            assert min(sydney_starts).date() >= date(2027, 2, 14)
