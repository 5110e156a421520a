"""The main job: real Kafka + MongoDB-wire store, the four services as OS processes, and a
multi-country programme driven through their HTTP APIs up to submitted surveys.

`make demo` runs it; exit code 0 means every pair got sessions and every survey went through.
"""

import asyncio
import json
import sys
import time
import uuid
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
from aiokafka import AIOKafkaConsumer
from rich.console import Console
from rich.table import Table

from shared.contracts import EVENTS, topic_for
from tools.demo_programme import INVALID, PARTICIPANTS, PROGRAMME
from tools.processes import running_services
from tools.servers import ROOT, acquire_servers

console = Console(width=None if sys.stdout.isatty() else 120)
TIMEOUT_S = 120


async def until(what: str, check, timeout: float = TIMEOUT_S):
    start = time.monotonic()
    with console.status(f"waiting for {what}…"):
        while time.monotonic() - start < timeout:
            result = await check()
            if result:
                console.print(f"[green]✓[/] {what} ({time.monotonic() - start:.1f}s)")
                return result
            await asyncio.sleep(0.3)
    raise TimeoutError(f"gave up waiting for {what} after {timeout:.0f}s")


async def drive(urls: dict[str, str], run: str) -> dict:
    async with httpx.AsyncClient(timeout=10) as http:
        code = f"DEMO-{run}"
        programme = (await http.post(f"{urls['enrollment']}/programmes", json={"code": code, **PROGRAMME})).json()
        pid = programme["programme_id"]
        console.print(f"[bold]Programme[/] {PROGRAMME['name']} ({code}) in {', '.join(PROGRAMME['countries'])}")

        people = {}
        for body in PARTICIPANTS:
            response = await http.post(f"{urls['enrollment']}/programmes/{pid}/participants", json=body)
            response.raise_for_status()
            people[response.json()["participant_id"]] = body
        console.print(f"[green]✓[/] enrolled {len(people)} participants over HTTP")
        rejected = await http.post(f"{urls['enrollment']}/programmes/{pid}/participants", json=INVALID)
        detail = rejected.json()["detail"][0]
        console.print(f"[yellow]✗[/] refused as expected: HTTP {rejected.status_code} "
                      f"{'.'.join(map(str, detail['loc']))}: {detail['msg']}")
        resent = await http.post(f"{urls['enrollment']}/programmes/{pid}/participants", json=PARTICIPANTS[0])
        console.print(f"[green]✓[/] re-sent {PARTICIPANTS[0]['display_name']}: HTTP {resent.status_code}, same id")

        found: list[dict] = []

        async def pairs():
            page = (await http.get(f"{urls['matching']}/pairs", params={"programme_id": pid})).json()
            found[:] = page["items"]
            return page["items"] if page["total"] == len(PARTICIPANTS) // 2 else None

        try:
            paired = await until(f"{len(PARTICIPANTS) // 2} pairs from matching", pairs)
        except TimeoutError:
            taken = {p[k] for p in found for k in ("mentor_id", "mentee_id")}
            alone = [people[i]["display_name"] for i in people if i not in taken]
            raise TimeoutError(f"only {len(found)} pairs; still unpaired: {', '.join(alone)}") from None

        async def schedules():
            page = (await http.get(f"{urls['scheduling']}/pairs", params={"programme_id": pid})).json()
            done = [p for p in page["items"] if p["status"] in ("planned", "unschedulable")]
            return page["items"] if len(done) == len(paired) else None

        planned = await until("session plans from scheduling", schedules)

        surveys = 0
        for schedule in (p for p in planned if p["sessions"]):
            first = schedule["sessions"][0]
            completion = await http.post(f"{urls['scheduling']}/sessions/{first['session_id']}/completion",
                                         json={"actual_minutes": 55})
            completion.raise_for_status()
            for respondent, rating in ((schedule["mentee_id"], 5), (schedule["mentor_id"], 4)):
                body = {"session_id": first["session_id"], "respondent_id": respondent, "rating": rating,
                        "would_recommend": True}

                async def submitted(body=body):
                    response = await http.post(f"{urls['feedback']}/surveys", json=body)
                    return response if response.status_code in (200, 201) else None

                await until(f"survey from {people[respondent]['display_name']}", submitted, timeout=30)
                surveys += 1
        return {"programme_id": pid, "people": people, "pairs": paired, "schedules": planned, "surveys": surveys}


async def count_events(bootstrap: str, programme_id: str, people: dict) -> Counter:
    consumer = AIOKafkaConsumer(*(topic_for(e) for e in EVENTS), bootstrap_servers=bootstrap,
                                group_id=f"demo-audit-{uuid.uuid4().hex[:6]}", auto_offset_reset="earliest")
    await consumer.start()
    counts: Counter = Counter()
    try:
        for _ in range(10):
            batch = await consumer.getmany(timeout_ms=500)
            for records in batch.values():
                for record in records:
                    try:
                        event = json.loads(record.value)
                    except ValueError:
                        continue  # the tests' deliberately undecodable messages share these topics
                    if event.get("programme_id") == programme_id or event.get("participant_id") in people:
                        counts[record.topic] += 1
    finally:
        await consumer.stop()
    return counts


def report(result: dict, counts: Counter) -> None:
    people = result["people"]
    table = Table(title="Pairs and their first session, in each member's own time zone")
    for column in ("mentee", "mentor", "language", "first session (mentee)", "first session (mentor)", "status"):
        table.add_column(column)
    schedules = {s["pair_id"]: s for s in result["schedules"]}
    for pair in result["pairs"]:
        mentee, mentor = people[pair["mentee_id"]], people[pair["mentor_id"]]
        schedule = schedules[pair["pair_id"]]
        if schedule["sessions"]:
            start = datetime.fromisoformat(schedule["sessions"][0]["starts_at"])
            when = [f"{start.astimezone(ZoneInfo(p['time_zone'])):%a %d %b %H:%M} {p['country']}"
                    for p in (mentee, mentor)]
        else:
            when = [schedule["unschedulable_reason"] or "-", ""]
        names = [f"{p['display_name']} ({p['country']})" for p in (mentee, mentor)]
        table.add_row(*names, pair["language"], *when, schedule["status"])
    console.print(table)
    events = Table(title="Events seen on Kafka for this programme (plain consumer, own group)")
    events.add_column("topic")
    events.add_column("events", justify="right")
    for topic in (topic_for(e) for e in EVENTS):
        events.add_row(topic, str(counts.get(topic, 0)))
    console.print(events)
    console.print(f"[bold green]{result['surveys']} surveys submitted[/] for {len(result['pairs'])} pairs.")


def main() -> int:
    run = uuid.uuid4().hex[:6]
    started = time.monotonic()
    with console.status("starting Kafka and the MongoDB-wire store…"), acquire_servers() as servers:
        console.print(f"[green]✓[/] servers from {servers.source}: kafka {servers.kafka_bootstrap_servers}, "
                      f"mongodb {servers.mongodb_url}")
        log_dir = ROOT / ".local" / "logs" / f"demo-{run}"
        with running_services(servers, log_dir, database_prefix=f"demo_{run}_") as services:
            console.print("[green]✓[/] four services up: " + ", ".join(f"{n} {s.url}" for n, s in services.items()))
            result = asyncio.run(drive({n: s.url for n, s in services.items()}, run))
            counts = asyncio.run(count_events(servers.kafka_bootstrap_servers, result["programme_id"],
                                              result["people"]))
        report(result, counts)
        console.print(f"service logs: {log_dir.relative_to(ROOT)}; databases prefixed demo_{run}_")
    ok = result["surveys"] == 2 * sum(1 for s in result["schedules"] if s["sessions"]) and result["surveys"] > 0
    console.print(f"{'done' if ok else 'FAILED'} in {time.monotonic() - started:.1f}s; everything stopped.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
