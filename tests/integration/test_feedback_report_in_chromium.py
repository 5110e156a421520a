"""The impact report's HTML page, served by the feedback app over TCP, rendered by a real headless
Chromium (Debian's package): the DOM it builds shows the report's figures, and it paints a page.

Chromium missing is a failure, not a skip: `bash deploy/local/chromium.sh` installs it."""

import asyncio
import shutil
import socket
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
import uvicorn
from pymongo import AsyncMongoClient

from feedback.config import Settings
from feedback.entrypoints.app import create_app
from shared.security import PLATFORM_ADMIN, PROGRAMME_MANAGER
from tests.feedback_scenario import programme, publish_all
from tests.integration.conftest import identity
from tests.kafka_probe import eventually
from tools.servers import ROOT, Servers

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    found = shutil.which("chromium")
    if not found:
        pytest.fail("chromium is not installed: run `bash deploy/local/chromium.sh`", pytrace=False)
    return found


async def run_chromium(*args: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        proc = await asyncio.create_subprocess_exec(
            chromium(), *FLAGS, f"--user-data-dir={profile}", *args,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(proc.communicate(), timeout=90)
    assert proc.returncode == 0, err.decode()[-2000:]
    return out.decode()


class Cards(HTMLParser):
    """Collects the text of each headline card, by its data-figure attribute, and counts charts."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, str] = {}
        self.current: str | None = None
        self.svgs = self.bars = 0
        self.groups: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.current = a.get("data-figure") or self.current
        self.svgs += tag == "svg"
        self.bars += tag == "rect"
        if a.get("data-group"):
            self.groups.add(f"{a['data-dimension']}:{a['data-group']}")

    def handle_data(self, data: str) -> None:
        if self.current:
            self.cards[self.current] = self.cards.get(self.current, "") + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.current:
            self.current = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_a_programme_manager_sees_the_figures_and_charts_in_a_real_browser(servers: Servers, settings_kwargs):
    prefix = f"{settings_kwargs['mongodb_database_prefix']}ui_"
    settings = Settings(**{**settings_kwargs, "mongodb_database_prefix": prefix})
    sc = programme(pairs=20, countries=("FR", "DE", "BR"), seed=9)
    db = AsyncMongoClient(servers.mongodb_url)[settings.database_name]
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    serve = asyncio.create_task(server.serve())
    try:
        assert await eventually(lambda: asyncio.sleep(0, server.started), timeout=30)
        await publish_all(servers, sc)
        expected = 2 * len(sc.completed) + 2 * len(sc.ended)
        assert await eventually(lambda: _count(db, sc, expected), timeout=90)

        people = identity(settings.oidc_issuer_url)
        admin = await people.headers(PLATFORM_ADMIN)
        manager = await people.headers(PROGRAMME_MANAGER, programmes=[sc.programme_id])
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as http:
            for body in sc.session_answers:
                assert (await http.post("/surveys", json=body, headers=admin)).status_code == 201
            for body in sc.end_answers:
                assert (await http.post("/end-surveys", json=body, headers=admin)).status_code == 201
            report = (await http.get(f"/programmes/{sc.programme_id}/impact", headers=manager)).json()
            # A browser link carries no bearer token: the page, fetched with the manager's, is opened from a file.
            page = await http.get(f"/programmes/{sc.programme_id}/impact.html", headers=manager)
            assert (await http.get(f"/programmes/{sc.programme_id}/impact.html")).status_code == 401
        html = ROOT / ".local" / f"impact-{sc.programme_id}.html"
        html.parent.mkdir(exist_ok=True)
        html.write_text(page.text)
        url = html.as_uri()
        dom = await run_chromium("--dump-dom", url)
        shot = ROOT / ".local" / "impact-report.png"
        shot.parent.mkdir(exist_ok=True)
        await run_chromium(f"--screenshot={shot}", "--window-size=1200,1800", "--hide-scrollbars", url)
    finally:
        server.should_exit = True
        await serve

    overall = next(g for g in report["groups"] if g["dimension"] == "programme")["figures"]
    parsed = Cards()
    parsed.feed(dom)
    assert str(sc.programme_id) in dom
    assert f"{100 * overall['recommendation_rate']['value']:.1f} %" in parsed.cards["recommendation_rate"]
    assert f"n = {overall['recommendation_rate']['n']}" in parsed.cards["recommendation_rate"]
    assert f"{overall['nps']['value']:+.1f}" in parsed.cards["nps"]
    assert parsed.svgs >= 6 and parsed.bars >= 10, "the charts were drawn"
    assert f"{overall['attitude_change']['value']:+.2f}" in dom, "attitude change is shown"
    assert {"country:FR", "country:DE", "country:BR", "role:mentor", "role:mentee"} <= parsed.groups
    assert Path(shot).stat().st_size > 20_000, "chromium painted the page"


async def _count(db, sc, expected: int) -> bool:
    return await db.invitations.count_documents({"programme_id": str(sc.programme_id)}) == expected
