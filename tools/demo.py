"""The main job: real Kafka + MongoDB-wire store, the four services as OS processes, and a
15-country reverse-mentoring programme driven through their HTTP APIs, from an HR export to the
impact report (HTML + CSV), whose headline figures it prints.

`make demo` runs it; exit 0 means everyone was paired (or, when the last to arrive cannot meet each
other, everyone matching says it can pair: tools/waiting_list.py), every session planned and completed, the
surveys answered and the report written. It waits on progress (`tools/progress.py`): each stage
shows a bar with its rate, and a stage that stops advancing for `--stall-seconds` ends the job with
exit code 2 and a message naming it. `--participants N` drives a programme of N people.
"""

import argparse
import asyncio
import json
import sys
import time
import uuid
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from shared.security import ANALYST, PARTICIPANT, PLATFORM_ADMIN, PROGRAMME_MANAGER
from tools.demo_answers import Answers
from tools.demo_programme import PROGRAMME, hr_export
from tools.demo_steps import Steps
from tools.identity import Identity, Person
from tools.processes import running_services
from tools.progress import Pipeline, Stalled
from tools.servers import ROOT, acquire_servers

console = Console(width=None if sys.stdout.isatty() else 120)
PARTICIPANTS = 240


async def drive(urls: dict[str, str], run: str, identity: Identity, participants: int, pipeline: Pipeline) -> dict:
    async with httpx.AsyncClient(timeout=120) as http:
        programme = (await http.post(f"{urls['enrollment']}/programmes", json={"code": f"DEMO-{run}", **PROGRAMME},
                                     headers=await identity.headers(PLATFORM_ADMIN))).json()
        pid = programme["programme_id"]
        console.print(f"[bold]Programme[/] {PROGRAMME['name']}: {len(PROGRAMME['countries'])} countries, "
                      f"{PROGRAMME['sessions_per_pair']} sessions of {PROGRAMME['session_minutes']} min per pair "
                      "(launched by the platform admin)")
        manager = await identity.headers(PROGRAMME_MANAGER, programmes=[pid])
        steps = Steps(http, urls, console, identity, manager, pipeline)
        with pipeline.shown():
            report = await steps.import_export(pid, hr_export(participants), participants)
            console.print(f"HR export imported by HR's system (client credentials): {report['enrolled']} enrolled, "
                          f"{len(report['rejected'])} row refused ({report['rejected'][0]['field']}: "
                          f"{report['rejected'][0]['reason']})")
            people = await steps.participants(pid)
            await identity.people(Person((PARTICIPANT,), participants=(p,)) for p in people)
            pairs = await steps.pairs(pid, expected=participants // 2, enrolled=report["enrolled"])
            schedules = await steps.schedules(pid, len(pairs))
            answers = Answers()
            planned = len([s for s in schedules if s["sessions"]])
            completed = await steps.complete_all(schedules)
            await steps.invitations_sent(pid, completed)
            # Expected only now: a stage's stall clock starts with its expectation, and the earlier stages
            # may take longer than the stall limit on a busy machine.
            # Two first-session surveys per planned pair; of the 2 end surveys per pair, some never answered.
            pipeline.expect("surveyed", 2 * planned + sum(n % 9 != 4 for n in range(2 * planned)))
            surveys = await steps.session_surveys(schedules, answers)
            ended = await steps.end_surveys(pid, planned, people, answers)
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


async def run_all(urls: dict[str, str], run: str, issuer: str, participants: int,
                  pipeline: Pipeline) -> tuple[dict, dict]:
    identity = Identity(issuer)
    try:
        result = await drive(urls, run, identity, participants, pipeline)
        return result, await write_report(urls["feedback"], result["programme_id"], run, identity)
    finally:
        await identity.close()


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=PARTICIPANTS,
                        help=f"people in the HR export, half juniors, half seniors (default {PARTICIPANTS})")
    parser.add_argument("--stall-seconds", type=float, default=180.0,
                        help="fail when a stage makes no progress for this long (default 180)")
    parser.add_argument("--summary", type=Path, help="also write the figures as JSON to this file")
    args = parser.parse_args(argv)
    if args.participants < 4 or args.participants % 2:
        parser.error("--participants must be an even number, at least 4")
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    run = uuid.uuid4().hex[:6]
    started = time.monotonic()
    pipeline = Pipeline(console, stall_after_s=args.stall_seconds)
    with console.status("starting Kafka, the MongoDB-wire store and Keycloak…"), acquire_servers() as servers:
        console.print(f"[green]✓[/] servers from {servers.source}: kafka {servers.kafka_bootstrap_servers} "
                      f"({servers.kafka_protocol}), mongodb {servers.mongodb_url}, identity {servers.oidc_issuer_url}")
        log_dir = ROOT / ".local" / "logs" / f"demo-{run}"
        with running_services(servers, log_dir, database_prefix=f"demo_{run}_") as services:
            console.print("[green]✓[/] four services up: " + ", ".join(f"{n} {s.url}" for n, s in services.items()))
            urls = {n: s.url for n, s in services.items()}
            try:
                result, impact = asyncio.run(run_all(urls, run, servers.oidc_issuer_url, args.participants,
                                                     pipeline))
            except Stalled as stalled:
                console.print(f"[bold red]FAILED[/]: {stalled}. Service logs: {log_dir.relative_to(ROOT)}")
                _write_summary(args.summary, {"ok": False, "stalled": str(stalled), "stages": pipeline.summary()})
                return 2
        headline(impact, result)
        console.print(f"service logs: {log_dir.relative_to(ROOT)}; databases prefixed demo_{run}_")
    stages = pipeline.summary()
    ok = all(s["done"] >= s["total"] > 0 for s in stages.values())
    _write_summary(args.summary, {"ok": ok, "participants": args.participants, "pairs": len(result["pairs"]),
                                  "sessions_completed": result["completed"], "session_surveys": result["surveys"],
                                  "end_surveys": result["end_surveys"], "stages": stages,
                                  "seconds": round(time.monotonic() - started, 1)})
    console.print(f"{'done' if ok else 'FAILED'} in {time.monotonic() - started:.1f}s; everything stopped.")
    return 0 if ok else 1


def _write_summary(path: Path | None, figures: dict) -> None:
    if path:
        path.write_text(json.dumps(figures, indent=2))



if __name__ == "__main__":
    sys.exit(main())
