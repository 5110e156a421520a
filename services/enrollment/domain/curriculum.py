"""Versioned curriculum: a version, once published, is never rewritten; content moves on by new versions."""

from dataclasses import dataclass

from enrollment.domain.errors import Conflict, Invalid


@dataclass(frozen=True)
class Topic:
    code: str
    title: str


@dataclass(frozen=True)
class Module:
    code: str
    title: str
    topics: tuple[Topic, ...]


@dataclass(frozen=True)
class Curriculum:
    version: str
    title: str
    modules: tuple[Module, ...]

    @property
    def topic_codes(self) -> frozenset[str]:
        return frozenset(t.code for m in self.modules for t in m.topics)

    def check(self) -> None:
        if not self.modules:
            raise Invalid("modules", "a curriculum needs at least one module")
        seen: set[str] = set()
        for i, module in enumerate(self.modules):
            if module.code in seen:
                raise Invalid(f"modules.{i}.code", f"module {module.code!r} appears twice")
            seen.add(module.code)
            if not module.topics:
                raise Invalid(f"modules.{i}.topics", "a module needs at least one topic")
        codes = [t.code for m in self.modules for t in m.topics]
        duplicated = sorted({c for c in codes if codes.count(c) > 1})
        if duplicated:
            raise Invalid("modules", f"topics in more than one module: {duplicated}")

    def publish_over(self, existing: "Curriculum | None") -> bool:
        """False when this exact version already exists; a different content under the same version is refused."""
        if existing is None:
            return True
        if existing != self:
            raise Conflict("version", f"curriculum {self.version} exists with other content; publish a new version")
        return False


def _module(code: str, title: str, *topics: tuple[str, str]) -> Module:
    return Module(code, title, tuple(Topic(c, t) for c, t in topics))


DEFAULT_CURRICULUM = Curriculum(
    version="2026.1",
    title="Reverse mentoring: AI and digital tools",
    modules=(
        _module("ai-at-work", "AI assistants at work", ("ai-assistants", "AI assistants: ChatGPT, Copilot, Claude")),
        _module("networks", "Professional social networks", ("professional-networks", "LinkedIn and other networks")),
        _module("collaboration", "Collaborative and information-watch tools",
                ("collaborative-tools", "Collaborative tools"), ("information-watch", "Information-watch tools")),
        _module("trust", "Data privacy and security", ("data-privacy-security", "Personal data, privacy, security")),
        _module("innovation", "Innovation", ("innovation", "Innovation and new ways of working")),
        _module("balance", "Work-life balance", ("work-life-balance", "Work-life balance, burn-out prevention")),
    ),
)
DEFAULT_CURRICULUM_VERSION = DEFAULT_CURRICULUM.version
