"""Curriculum versions: published once, never rewritten."""

from fastapi import APIRouter, Response, status

from enrollment import handlers
from enrollment.domain.curriculum import Curriculum, Module, Topic
from enrollment.entrypoints.presenters import curriculum_out, domain
from enrollment.entrypoints.schemas import CurriculumIO
from enrollment.policy import allowed
from enrollment.unit_of_work import UnitOfWorkFactory
from shared.http_errors import DomainRejection


def build_curricula_router(uow_factory: UnitOfWorkFactory) -> APIRouter:
    router = APIRouter(tags=["curricula"])

    @router.get("/curricula", response_model=list[CurriculumIO], dependencies=[allowed("curricula.read")])
    async def list_curricula():
        async with uow_factory() as uow:
            return [curriculum_out(c) for c in await uow.curricula.versions()]

    @router.get("/curricula/{version}", response_model=CurriculumIO, dependencies=[allowed("curricula.read")])
    async def get_curriculum(version: str):
        async with uow_factory() as uow:
            curriculum = await uow.curricula.get(version)
        if curriculum is None:
            raise DomainRejection(404, "path.version", f"no curriculum version {version!r}")
        return curriculum_out(curriculum)

    @router.post("/curricula", response_model=CurriculumIO, status_code=status.HTTP_201_CREATED,
                 responses={200: {"description": "This exact version already exists"},
                            409: {"description": "The version exists with other content"}},
                 dependencies=[allowed("curricula.publish")])
    async def publish_curriculum(body: CurriculumIO, response: Response):
        curriculum = Curriculum(body.version, body.title, tuple(
            Module(m.code, m.title, tuple(Topic(t.code, t.title) for t in m.topics)) for m in body.modules))
        async with uow_factory() as uow:
            if not await domain(handlers.publish_curriculum(curriculum, uow)):
                response.status_code = status.HTTP_200_OK
        return curriculum_out(curriculum)

    return router
