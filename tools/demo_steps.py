"""The main job's steps over the services' HTTP APIs, each waiting for the events it depends on.

They wait on progress (`tools/progress.py`): a stage ends when its count reaches its target and
fails the job only when its count stops moving.
"""

import asyncio
from typing import Any

import httpx
from rich.console import Console

from shared.security import PARTICIPANT
from tools.demo_answers import Answers
from tools.identity import Identity
from tools.progress import Pipeline
from tools.waiting_list import waiting_list

CONCURRENCY = 6
IMPORT_ROWS = 500  # rows per import request: the 'enrolled' bar moves as chunks land


class Steps:
    """Each step acts as the person it belongs to: the programme's manager watches and completes sessions,
    each participant answers their own surveys (`manager`: the manager's Authorization header)."""

    def __init__(self, http: httpx.AsyncClient, urls: dict[str, str], console: Console, identity: Identity,
                 manager: dict[str, str], pipeline: Pipeline) -> None:
        self.http, self.urls, self.console, self.stages = http, urls, console, pipeline
        self.identity, self.manager = identity, manager

    async def as_respondent(self, body: dict) -> dict[str, str]:
        return await self.identity.headers(PARTICIPANT, participants=[body["respondent_id"]])

    async def total(self, url: str, **params: Any) -> int:
        response = await self.http.get(url, params={**params, "limit": 1}, headers=self.manager)
        response.raise_for_status()
        return response.json()["total"]

    async def import_export(self, pid: str, csv_text: str, participants: int) -> dict:
        header, *rows = csv_text.splitlines()
        self.stages.expect("enrolled", participants)
        report: dict[str, Any] = {"enrolled": 0, "rejected": []}

        async def chunks() -> None:
            for start in range(0, len(rows), IMPORT_ROWS):
                body = "\n".join([header, *rows[start:start + IMPORT_ROWS]]) + "\n"
                response = await self.http.post(f"{self.urls['enrollment']}/programmes/{pid}/imports",
                                                content=body.encode(), headers={
                                                    "content-type": "text/csv", **await self.identity.hr_headers()})
                response.raise_for_status()
                part = response.json()
                report["enrolled"] += part["enrolled"]
                report["rejected"] += part["rejected"]
                self.stages.record("enrolled", report["enrolled"])

        await self.stages.drive("enrolled", chunks())
        return report

    async def all_pages(self, url: str, **params: Any) -> list[dict]:
        items, offset = [], 0
        while True:
            page = (await self.http.get(url, params={**params, "offset": offset, "limit": 500},
                                        headers=self.manager)).json()
            items += page["items"]
            offset += len(page["items"])
            if offset >= page["total"] or not page["items"]:
                return items

    async def participants(self, pid: str) -> dict[str, dict]:
        found = await self.all_pages(f"{self.urls['enrollment']}/programmes/{pid}/participants")
        return {p["participant_id"]: p for p in found}

    async def pairs(self, pid: str, expected: int, enrolled: int) -> list[dict]:
        """Everyone paired, or as many as matching can pair: the last people to arrive may be unable to
        meet each other (continuous mode undoes no pair for them); the manager's round preview says so."""
        url = f"{self.urls['matching']}/pairs"
        self.stages.expect("paired", expected)

        async def reachable(_: int) -> int | None:
            active = await self.all_pages(url, programme_id=pid, status="active")
            members = {m for p in active for m in (p["mentor_id"], p["mentee_id"])}
            waiting = await waiting_list(self.http, self.urls["matching"], self.manager, pid, len(members), enrolled,
                                         publish_pairable=True)
            if waiting is not None and waiting.published:  # held back by an earlier preview of ours, or missed
                self.console.print(f"[yellow]![/] the manager published {waiting.published} pairs matching had "
                                   "left to make")
            if waiting is None or not waiting.complete:
                return None
            self.console.print(f"[yellow]![/] {waiting.unmatched_total} people wait: matching can pair none of "
                               f"them ({waiting.reasons()}); {len(active)} pairs")
            return len(active)

        await self.stages.wait("paired", lambda: self.total(url, programme_id=pid), settle=reachable)
        return await self.all_pages(url, programme_id=pid)

    async def schedules(self, pid: str, pairs: int) -> list[dict]:
        # Scheduling plans a pair as soon as it learns of it (its programme is known by then).
        self.stages.expect("planned", pairs)
        await self.stages.wait("planned", lambda: self.total(f"{self.urls['scheduling']}/pairs", programme_id=pid))
        schedules = await self.all_pages(f"{self.urls['scheduling']}/pairs", programme_id=pid)
        waiting = [s for s in schedules if s["status"] == "awaiting_programme"]
        if waiting:
            raise RuntimeError(f"{len(waiting)} pairs still await their programme in scheduling")
        unschedulable = [s for s in schedules if not s["sessions"]]
        if unschedulable:
            self.console.print(f"[yellow]![/] {len(unschedulable)} pairs unschedulable, e.g.: "
                               f"{unschedulable[0]['unschedulable_reason']}")
        return schedules

    async def complete_all(self, schedules: list[dict]) -> int:
        slots = asyncio.Semaphore(CONCURRENCY)

        async def complete(series: list[dict]) -> None:
            # A pair's sessions one after the other (they change one document); pairs side by side.
            async with slots:
                for session in series:
                    url = f"{self.urls['scheduling']}/sessions/{session['session_id']}/completion"
                    minutes = 45 + session["sequence"] * 2
                    done = await self.http.post(url, json={"actual_minutes": minutes}, headers=self.manager)
                    done.raise_for_status()
                    self.stages.advance("completed")

        series = [[s for s in schedule["sessions"] if s["status"] == "scheduled"] for schedule in schedules]
        sessions = [s for one in series for s in one]
        self.stages.expect("completed", len(sessions))
        await self.stages.drive("completed", asyncio.gather(*(complete(one) for one in series)))
        return len(sessions)

    async def _post_when_ready(self, url: str, body: dict, not_ready: tuple[int, ...]) -> httpx.Response:
        # Feedback learns of completions from Kafka: until then it answers 409/404. No count of tries:
        # the 'surveyed' stage's stall check bounds the wait.
        headers = await self.as_respondent(body)
        while True:
            response = await self.http.post(url, json=body, headers=headers)
            if response.status_code not in not_ready:
                return response
            await asyncio.sleep(0.5)

    async def invitations_sent(self, pid: str, completed: int) -> None:
        """Feedback learns of completions from Kafka, behind scheduling on a busy machine: its survey
        invitations (one per member and session) are the progress to wait on before answering them."""
        self.stages.expect("invited", 2 * completed)
        await self.stages.wait("invited", lambda: self.total(f"{self.urls['feedback']}/invitations",
                                                             programme_id=pid, kind="session"))

    async def session_surveys(self, schedules: list[dict], answers: Answers) -> int:
        bodies = [answers.session_survey(s["sessions"][0]["session_id"], member, first=True)
                  for s in schedules if s["sessions"] for member in (s["mentor_id"], s["mentee_id"])]
        slots = asyncio.Semaphore(CONCURRENCY)

        async def submit(body: dict) -> None:
            async with slots:
                response = await self._post_when_ready(f"{self.urls['feedback']}/surveys", body, (409,))
                response.raise_for_status()
                self.stages.advance("surveyed")

        await self.stages.drive("surveyed", asyncio.gather(*(submit(b) for b in bodies)))
        return len(bodies)

    async def end_surveys(self, pid: str, pairs: int, people: dict[str, dict], answers: Answers) -> int:
        async def invited() -> list[dict]:
            url = f"{self.urls['feedback']}/invitations"
            while True:  # until all are invited; the stall check of 'surveyed' bounds the wait
                if await self.total(url, programme_id=pid, kind="end") >= 2 * pairs:
                    return await self.all_pages(url, programme_id=pid, kind="end")
                await asyncio.sleep(1.0)

        invitations = await self.stages.drive("surveyed", invited())
        slots = asyncio.Semaphore(CONCURRENCY)

        async def answer(invitation: dict) -> None:
            person = people[invitation["respondent_id"]]
            before = {s["topic"]: s["proficiency"] for s in person["skills"]}
            body = answers.end_survey(invitation["pair_id"], invitation["respondent_id"], person["role"], before)
            async with slots:
                response = await self._post_when_ready(f"{self.urls['feedback']}/end-surveys", body, (404,))
                response.raise_for_status()
                self.stages.advance("surveyed")

        # Some people never answer: the response rate is part of what a programme learns.
        answering = [i for n, i in enumerate(invitations) if n % 9 != 4]
        await self.stages.drive("surveyed", asyncio.gather(*(answer(i) for i in answering)))
        return len(answering)
