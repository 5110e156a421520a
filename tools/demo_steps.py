"""The main job's steps over the services' HTTP APIs, each waiting for the events it depends on."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from rich.console import Console

from shared.security import PARTICIPANT
from tools.demo_answers import Answers
from tools.identity import Identity

CONCURRENCY = 6


class Steps:
    """Each step acts as the person it belongs to: the programme's manager watches and completes sessions,
    each participant answers their own surveys (`manager`: the manager's Authorization header)."""

    def __init__(self, http: httpx.AsyncClient, urls: dict[str, str], console: Console, identity: Identity,
                 manager: dict[str, str]) -> None:
        self.http, self.urls, self.console = http, urls, console
        self.identity, self.manager = identity, manager

    async def as_respondent(self, body: dict) -> dict[str, str]:
        return await self.identity.headers(PARTICIPANT, participants=[body["respondent_id"]])

    async def until(self, what: str, check: Callable[[], Awaitable[Any]], timeout: float = 180) -> Any:
        started = time.monotonic()
        with self.console.status(f"waiting for {what}…"):
            while time.monotonic() - started < timeout:
                if result := await check():
                    self.console.print(f"[green]✓[/] {what} ({time.monotonic() - started:.1f}s)")
                    return result
                await asyncio.sleep(0.5)
        raise TimeoutError(f"gave up waiting for {what} after {timeout:.0f}s")

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

    async def pairs(self, pid: str, expected: int) -> list[dict]:
        seen: list[int] = []

        async def settled() -> list[dict] | None:
            pairs = await self.all_pages(f"{self.urls['matching']}/pairs", programme_id=pid)
            seen.append(len(pairs))
            # Done when everyone is paired, or when the count has stopped moving for five polls.
            stable = len(seen) > 5 and len(set(seen[-6:])) == 1 and seen[-1] > 0
            return pairs if len(pairs) == expected or stable else None

        return await self.until(f"pairs from matching (up to {expected})", settled)

    async def schedules(self, pid: str, pairs: int) -> list[dict]:
        async def planned() -> list[dict] | None:
            found = await self.all_pages(f"{self.urls['scheduling']}/pairs", programme_id=pid)
            done = [p for p in found if p["status"] != "awaiting_programme"]
            return found if len(done) >= pairs else None

        schedules = await self.until(f"session plans for {pairs} pairs from scheduling", planned)
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

        series = [[s for s in schedule["sessions"] if s["status"] == "scheduled"] for schedule in schedules]
        sessions = [s for one in series for s in one]
        started = time.monotonic()
        with self.console.status(f"completing {len(sessions)} sessions over HTTP…"):
            await asyncio.gather(*(complete(one) for one in series))
        self.console.print(f"[green]✓[/] {len(sessions)} sessions completed ({time.monotonic() - started:.1f}s)")
        return len(sessions)

    async def _post_when_ready(self, url: str, body: dict, not_ready: tuple[int, ...]) -> httpx.Response:
        # Feedback learns of completions from Kafka: until then it answers 409/404.
        headers = await self.as_respondent(body)
        for _ in range(240):
            response = await self.http.post(url, json=body, headers=headers)
            if response.status_code not in not_ready:
                return response
            await asyncio.sleep(0.5)
        return response

    async def session_surveys(self, schedules: list[dict], answers: Answers) -> int:
        bodies = [answers.session_survey(s["sessions"][0]["session_id"], member, first=True)
                  for s in schedules if s["sessions"] for member in (s["mentor_id"], s["mentee_id"])]
        slots = asyncio.Semaphore(CONCURRENCY)

        async def submit(body: dict) -> None:
            async with slots:
                response = await self._post_when_ready(f"{self.urls['feedback']}/surveys", body, (409,))
                response.raise_for_status()

        with self.console.status(f"submitting {len(bodies)} first-session surveys…"):
            await asyncio.gather(*(submit(b) for b in bodies))
        self.console.print(f"[green]✓[/] {len(bodies)} first-session surveys (with the 'before' attitudes)")
        return len(bodies)

    async def end_surveys(self, pid: str, pairs: int, people: dict[str, dict], answers: Answers) -> int:
        async def invited() -> list[dict] | None:
            found = await self.all_pages(f"{self.urls['feedback']}/invitations", programme_id=pid, kind="end")
            return found if len(found) >= 2 * pairs else None

        invitations = await self.until(f"end-of-programme invitations ({2 * pairs}, after PairCompleted)", invited)
        slots = asyncio.Semaphore(CONCURRENCY)

        async def answer(invitation: dict) -> None:
            person = people[invitation["respondent_id"]]
            before = {s["topic"]: s["proficiency"] for s in person["skills"]}
            body = answers.end_survey(invitation["pair_id"], invitation["respondent_id"], person["role"], before)
            async with slots:
                response = await self._post_when_ready(f"{self.urls['feedback']}/end-surveys", body, (404,))
                response.raise_for_status()

        # Some people never answer: the response rate is part of what a programme learns.
        answering = [i for n, i in enumerate(invitations) if n % 9 != 4]
        with self.console.status(f"submitting {len(answering)} end-of-programme surveys…"):
            await asyncio.gather(*(answer(i) for i in answering))
        self.console.print(f"[green]✓[/] {len(answering)} of {len(invitations)} end-of-programme surveys answered")
        return len(answering)
