"""The impact report as plain JSON-able data, shared by the JSON, CSV and HTML views."""

from typing import Any

from feedback.domain.figures import Figure
from feedback.domain.impact import Group, ImpactReport


def figure(f: Figure) -> dict[str, Any]:
    return {"value": f.value, "n": f.n, "suppressed": f.suppressed}


def group(g: Group) -> dict[str, Any]:
    return {
        "dimension": g.dimension,
        "value": g.value,
        "participants": None if g.suppressed else g.participants,
        "suppressed": g.suppressed,
        "figures": {f.name: figure(f) for f in g.figures},
        "skill_uplift": [{"topic": f.name, **figure(f)} for f in g.skill_uplift],
    }


def report(r: ImpactReport) -> dict[str, Any]:
    return {
        "programme_id": str(r.programme_id),
        "generated_at": r.generated_at.isoformat(),
        "min_group_size": r.min_group_size,
        "cohort_definition": r.cohort_definition,
        "groups": [group(g) for g in r.groups],
    }


def rows(r: ImpactReport) -> list[dict[str, Any]]:
    """One row per (group, figure): the CSV's lines."""
    out = []
    for g in r.groups:
        if g.suppressed:
            out.append({"dimension": g.dimension, "group": g.value, "participants": "", "figure": "",
                        "value": "", "n": "", "suppressed": True})
            continue
        named = [(f.name, f) for f in g.figures] + [(f"skill_uplift:{f.name}", f) for f in g.skill_uplift]
        for name, f in named:
            out.append({"dimension": g.dimension, "group": g.value, "participants": g.participants, "figure": name,
                        "value": "" if f.value is None else f.value, "n": f.n, "suppressed": f.suppressed})
    return out
