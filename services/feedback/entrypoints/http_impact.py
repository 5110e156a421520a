"""The impact report of a programme over HTTP: JSON, CSV and an HTML page for programme managers."""

import contextlib
import csv
import dataclasses
import io
from datetime import UTC, datetime
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from feedback import handlers
from feedback.config import Settings
from feedback.domain.impact import ImpactReport
from feedback.entrypoints import report_html, report_json
from feedback.entrypoints.impact_metrics import ImpactGauges
from feedback.policy import allowed
from feedback.unit_of_work import UnitOfWorkFactory
from shared.http_errors import DomainRejection, ErrorBody
from shared.security import Grant

CSV_COLUMNS = ["dimension", "group", "participants", "figure", "value", "n", "suppressed"]


UNKNOWN = {404: {"model": ErrorBody, "description": "no programme of that id known to feedback"}}


class ImpactReports:
    """Computes a programme's report and keeps the gauges in step with it."""

    def __init__(self, uow_factory: UnitOfWorkFactory, settings: Settings, gauges: ImpactGauges) -> None:
        self.uow_factory, self.settings, self.gauges = uow_factory, settings, gauges

    async def report(self, programme_id: UUID) -> ImpactReport:
        async with self.uow_factory() as uow:
            try:
                found = await handlers.impact_report(programme_id, uow, self.settings.report_min_group_size,
                                                     datetime.now(UTC))
            except handlers.UnknownProgramme as exc:
                raise DomainRejection(404, "path.programme_id", f"no programme {programme_id} known here") from exc
        self.gauges.show(found)
        return found

    async def for_caller(self, programme_id: UUID, grant: Grant) -> ImpactReport:
        """The whole report when the programme is in the caller's scope; for a manager scoped by country,
        only the groups of their countries (programme-wide figures mix in the other countries)."""
        scope = grant.scope
        if scope.covers_programme(programme_id):
            return await self.report(programme_id)
        if scope.countries is None or scope.participants is not None or (
                scope.programmes is not None and programme_id not in scope.programmes):
            raise DomainRejection(403, "path.programme_id", "this programme is outside your scope")
        found = await self.report(programme_id)
        groups = tuple(g for g in found.groups if g.dimension == "country" and g.value in scope.countries)
        if not groups:
            raise DomainRejection(403, "path.programme_id", "this programme has no group in your countries")
        return dataclasses.replace(found, groups=groups)

    async def refresh(self, programme_id: UUID) -> None:
        if self.gauges.due(programme_id):
            with contextlib.suppress(DomainRejection):
                await self.report(programme_id)

    async def refresh_all(self) -> None:
        async with self.uow_factory() as uow:
            programmes = await uow.impact.programmes(self.settings.metrics_max_programmes)
        for programme_id in programmes:
            with contextlib.suppress(DomainRejection):
                await self.report(programme_id)


def build_impact_router(reports: ImpactReports) -> APIRouter:
    router = APIRouter(tags=["impact"])

    @router.get("/programmes/{programme_id}/impact", responses=UNKNOWN)
    async def impact_json(programme_id: UUID, grant: Grant = allowed("impact.read")) -> dict:
        """Figures per programme, country, cohort and role, each with its sample size n; groups and figures
        with fewer than REPORT_MIN_GROUP_SIZE people are suppressed (value null, `suppressed` true)."""
        return report_json.report(await reports.for_caller(programme_id, grant))

    @router.get("/programmes/{programme_id}/impact.csv", response_class=Response,
                responses={200: {"content": {"text/csv": {}}}, **UNKNOWN})
    async def impact_csv(programme_id: UUID, grant: Grant = allowed("impact.read")) -> Response:
        out = io.StringIO()
        writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(report_json.rows(await reports.for_caller(programme_id, grant)))
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="impact-{programme_id}.csv"'})

    @router.get("/programmes/{programme_id}/impact.html", response_class=HTMLResponse, responses=UNKNOWN)
    async def impact_html(programme_id: UUID, grant: Grant = allowed("impact.read")) -> HTMLResponse:
        return HTMLResponse(report_html.render(await reports.for_caller(programme_id, grant)))

    return router
