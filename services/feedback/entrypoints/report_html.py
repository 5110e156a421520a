"""The impact report as one self-contained HTML page: headline cards, inline SVG bar charts, a table.

No script and no external asset, so it renders offline and can be mailed as a file.
"""

from html import escape

from feedback.domain.figures import Figure
from feedback.domain.impact import Group, ImpactReport
from feedback.domain.questionnaire import DIRECTION
from feedback.entrypoints.svg_charts import Bar, bar_chart

PERCENT = {"response_rate", "completion_rate", "recommendation_rate"}
COUNTS = {"invitations", "sessions_planned", "sessions_completed"}
LABELS = {
    "invitations": "Invitations", "response_rate": "Response rate", "sessions_planned": "Sessions planned",
    "sessions_completed": "Sessions completed", "completion_rate": "Completion rate",
    "session_usefulness": "Session usefulness (1–5)", "recommendation_rate": "Would recommend",
    "nps": "NPS", "attitude_change": "Attitude change (1–5 scale)",
}
STYLE = """body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2433;max-width:1100px}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #d0d7e2;border-radius:8px;padding:1rem;
min-width:180px}.card b{display:block;font-size:2rem}.n{color:#667;font-size:.85rem}
table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #d0d7e2;padding:.25rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}.charts{display:flex;flex-wrap:wrap;gap:1.5rem}"""


def show(f: Figure | None) -> str:
    if f is None or f.value is None:
        return "suppressed" if f is not None and f.suppressed else "–"
    if f.name in PERCENT:
        return f"{100 * f.value:.1f} %"
    if f.name in COUNTS:
        return f"{f.value:g}"
    if f.name == "session_usefulness":
        return f"{f.value:.2f}"
    return f"{f.value:+.1f}" if f.name == "nps" else f"{f.value:+.2f}"


def _n(f: Figure | None) -> str:
    return "" if f is None or f.suppressed else f" <span class=n>n={f.n}</span>"


def _fig(g: Group | None, name: str) -> Figure | None:
    return next((f for f in g.figures if f.name == name), None) if g and not g.suppressed else None


def _bars(groups: list[Group], name: str, label=lambda g: g.value) -> list[Bar]:
    return [Bar(label(g), f.value if (f := _fig(g, name)) else None, show(f), f.n if f else 0) for g in groups]


def render(r: ImpactReport) -> str:
    by = {d: [g for g in r.groups if g.dimension == d] for d in ("programme", "country", "cohort", "role")}
    overall = by["programme"][0] if by["programme"] else None
    cards = "".join(
        f'<div class="card" data-figure="{n}">{escape(LABELS[n])}<b>{escape(show(f))}</b>'
        f'<span class="n">{f"n = {f.n}" if f and not f.suppressed else ""}</span></div>'
        for n in ("recommendation_rate", "nps", "response_rate", "completion_rate") for f in [_fig(overall, n)])
    charts = [
        bar_chart("Would recommend, by country", _bars(by["country"], "recommendation_rate"), 0, 1),
        bar_chart("NPS, by country", _bars(by["country"], "nps"), -100, 100),
        bar_chart("Response rate, by country", _bars(by["country"], "response_rate"), 0, 1),
        bar_chart("Session completion, by country", _bars(by["country"], "completion_rate"), 0, 1),
        bar_chart("Skill uplift per topic (0–4 scale, after − at enrollment)",
                  [Bar(f.name, f.value, show(f), f.n)
                   for f in (overall.skill_uplift if overall and not overall.suppressed else ())], -4, 4),
        bar_chart("Attitude change about the other generation, by role",
                  _bars(by["role"], "attitude_change", lambda g: DIRECTION.get(g.value, g.value).replace("_", " ")),
                  -4, 4),
    ]
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Impact report</title>'
            f"<style>{STYLE}</style></head><body><h1>Impact report</h1>"
            f'<p>Programme <code id="programme">{r.programme_id}</code>, '
            f"generated {r.generated_at:%Y-%m-%d %H:%M} UTC. "
            f"Groups or figures with fewer than {r.min_group_size} people are suppressed so no one can be "
            f"identified. Cohort: {escape(r.cohort_definition)}.</p>"
            f'<div class="cards" id="headline">{cards}</div><h2>Charts</h2><div class="charts">{"".join(charts)}</div>'
            f"<h2>All figures</h2>{_table(r)}</body></html>")


def _table(r: ImpactReport) -> str:
    names = list(LABELS)
    head = "".join(f"<th>{escape(LABELS[n])}</th>" for n in names)
    body = []
    for g in r.groups:
        cells = "".join(f"<td>{escape(show(_fig(g, n)) if not g.suppressed else 'suppressed')}{_n(_fig(g, n))}</td>"
                        for n in names)
        people = "suppressed" if g.suppressed else str(g.participants)
        body.append(f'<tr data-dimension="{escape(g.dimension)}" data-group="{escape(g.value)}">'
                    f"<td>{escape(g.dimension)}: {escape(g.value)}</td><td>{people}</td>{cells}</tr>")
    return f'<table id="figures"><tr><th>Group</th><th>People</th>{head}</tr>{"".join(body)}</table>'
