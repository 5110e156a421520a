"""The main job: real Kafka + MongoDB-wire store, the four services as OS processes, and a
15-country reverse-mentoring programme driven through their HTTP APIs, from an HR export to the
impact report (HTML + CSV), whose headline figures it prints.

`make demo` runs it; exit 0 means pairs were made, sessions completed and the report written.
"""

import asyncio
import json
import sys
import time
import uuid

import httpx
from rich.console import Console
from rich.table import Table

from shared.security import ANALYST, PARTICIPANT, PLATFORM_ADMIN, PROGRAMME_MANAGER
from tools.demo_answers import Answers
from tools.demo_programme import PROGRAMME, hr_export
from tools.demo_steps import Steps
from tools.identity import Identity, Person
from tools.processes import running_services
from tools.servers import ROOT, acquire_servers

console = Console(width=None if sys.stdout.isatty() else 120)
PARTICIPANTS = 240


async def drive(urls: dict[str, str], run: str, identity: Identity) -> dict:
    async with httpx.AsyncClient(timeout=120) as http:
        programme = (await http.post(f"{urls['enrollment']}/programmes", json={"code": f"DEMO-{run}", **PROGRAMME},
                                     headers=await identity.headers(PLATFORM_ADMIN))).json()
        pid = programme["programme_id"]
        console.print(f"[bold]Programme[/] {PROGRAMME['name']}: {len(PROGRAMME['countries'])} countries, "
                      f"{PROGRAMME['sessions_per_pair']} sessions of {PROGRAMME['session_minutes']} min per pair "
                      "(launched by the platform admin)")
        manager = await identity.headers(PROGRAMME_MANAGER, programmes=[pid])
        steps = Steps(http, urls, console, identity, manager)
        report = (await http.post(f"{urls['enrollment']}/programmes/{pid}/imports", content=hr_export(
            PARTICIPANTS).encode(), headers={"content-type": "text/csv", **await identity.hr_headers()})).json()
        console.print(f"[green]✓[/] HR export imported by HR's system (client credentials): "
                      f"{report['enrolled']} enrolled, "
                      f"{len(report['rejected'])} row refused ({report['rejected'][0]['field']}: "
                      f"{report['rejected'][0]['reason']})")
        people = await steps.participants(pid)
        await identity.people(Person((PARTICIPANT,), participants=(p,)) for p in people)
        console.print(f"[green]✓[/] {len(people)} participants can sign in (Keycloak users carrying their participant "
                      "id); the programme's manager drives the rest, each participant answers for themself")
        pairs = await steps.pairs(pid, expected=PARTICIPANTS // 2)
        schedules = await steps.schedules(pid, len(pairs))
        answers = Answers()
        completed = await steps.complete_all(schedules)
        surveys = await steps.session_surveys(schedules, answers)
        ended = await steps.end_surveys(pid, len([s for s in schedules if s["sessions"]]), people, answers)
        return {"programme_id": pid, "people": people, "pairs": pairs, "schedules": schedules,
                "completed": completed, "surveys": surveys, "end_surveys": ended}


async def write_report(feedback: str, programme_id: str, run: str, identity: Identity) -> dict:
    folder = ROOT / ".local" / "reports" / f"demo-{run}"
    folder.mkdir(parents=True, exist_ok=True)
    analyst = await identity.headers(ANALYST)  # aggregates only: the report is all an analyst may read
    async with httpx.AsyncClient(base_url=feedback, timeout=60, headers=analyst) as http:
        impact = (await http.get(f"/programmes/{programme_id}/impact")).json()
        (folder / "impact.json").write_text(json.dumps(impact, indent=2))
        (folder / "impact.csv").write_text((await http.get(f"/programmes/{programme_id}/impact.csv")).text)
        (folder / "impact.html").write_text((await http.get(f"/programmes/{programme_id}/impact.html")).text)
    console.print(f"[green]✓[/] impact report written: {folder.relative_to(ROOT)}/impact.html and impact.csv")
    return impact


def headline(impact: dict, result: dict) -> None:
    programme = next(g for g in impact["groups"] if g["dimension"] == "programme")
    f = programme["figures"]

    def show(name: str, percent: bool = False) -> str:
        figure = f.get(name, {})
        if figure.get("value") is None:
            return "withheld (group too small)" if figure.get("suppressed") else "-"
        value = figure["value"]
        return (f"{value:.0%}" if percent else f"{value:.1f}") + f"  (n={figure['n']})"

    table = Table(title="Impact: headline figures for the programme", show_header=False)
    table.add_row("participants / pairs", f"{len(result['people'])} / {len(result['pairs'])}")
    table.add_row("sessions completed", f"{result['completed']}")
    for label, name, percent in (("completion rate", "completion_rate", True),
                                 ("survey response rate", "response_rate", True),
                                 ("would recommend", "recommendation_rate", True), ("NPS", "nps", False),
                                 ("attitude change (1-5 scale)", "attitude_change", False)):
        table.add_row(label, show(name, percent))
    uplift = sorted((u for u in programme["skill_uplift"] if u["value"] is not None), key=lambda u: -u["value"])
    table.add_row("skill uplift (top 3, 0-4 scale)",
                  ", ".join(f"{u['topic']} +{u['value']:.1f}" for u in uplift[:3]) or "-")
    countries = [g for g in impact["groups"] if g["dimension"] == "country" and not g["suppressed"]]
    table.add_row("countries reported / withheld (k)",
                  f"{len(countries)} / {sum(g['dimension'] == 'country' for g in impact['groups']) - len(countries)}"
                  f" (k={impact['min_group_size']})")
    console.print(table)


async def run_all(urls: dict[str, str], run: str, issuer: str) -> tuple[dict, dict]:
    identity = Identity(issuer)
    try:
        result = await drive(urls, run, identity)
        return result, await write_report(urls["feedback"], result["programme_id"], run, identity)
    finally:
        await identity.close()


def main() -> int:
    run = uuid.uuid4().hex[:6]
    started = time.monotonic()
    with console.status("starting Kafka, the MongoDB-wire store and Keycloak…"), acquire_servers() as servers:
        console.print(f"[green]✓[/] servers from {servers.source}: kafka {servers.kafka_bootstrap_servers} "
                      f"({servers.kafka_protocol}), mongodb {servers.mongodb_url}, identity {servers.oidc_issuer_url}")
        log_dir = ROOT / ".local" / "logs" / f"demo-{run}"
        with running_services(servers, log_dir, database_prefix=f"demo_{run}_") as services:
            console.print("[green]✓[/] four services up: " + ", ".join(f"{n} {s.url}" for n, s in services.items()))
            urls = {n: s.url for n, s in services.items()}
            result, impact = asyncio.run(run_all(urls, run, servers.oidc_issuer_url))
        headline(impact, result)
        console.print(f"service logs: {log_dir.relative_to(ROOT)}; databases prefixed demo_{run}_")
    ok = result["completed"] > 0 and result["end_surveys"] > 0
    console.print(f"{'done' if ok else 'FAILED'} in {time.monotonic() - started:.1f}s; everything stopped.")
    return 0 if ok else 1



if __name__ == "__main__":
    sys.exit(main())
