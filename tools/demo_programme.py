"""The programme the main job drives: AI and digital reverse mentoring over 15 countries.

Juniors fluent in AI tools mentor senior managers; everyone works in English plus a local
language, so pairs may cross borders and time zones. Seeded, so every run tells the same story.
"""

import csv
import io
import random

COUNTRIES = [  # country, IANA time zone, local language
    ("FR", "Europe/Paris", "fr"), ("DE", "Europe/Berlin", "de"), ("ES", "Europe/Madrid", "es"),
    ("IT", "Europe/Rome", "it"), ("PT", "Europe/Lisbon", "pt"), ("BE", "Europe/Brussels", "fr"),
    ("NL", "Europe/Amsterdam", "nl"), ("PL", "Europe/Warsaw", "pl"), ("GB", "Europe/London", "en"),
    ("IE", "Europe/Dublin", "en"), ("CH", "Europe/Zurich", "de"), ("AT", "Europe/Vienna", "de"),
    ("BR", "America/Sao_Paulo", "pt"), ("MA", "Africa/Casablanca", "fr"), ("US", "America/New_York", "en"),
]
AI_TOPICS = ["ai-assistants", "professional-networks", "collaborative-tools", "information-watch",
             "data-privacy-security"]
SENIOR_TOPICS = ["innovation", "work-life-balance"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri"]
DEPARTMENTS = ["Finance", "IT", "Sales", "Marketing", "Operations", "Legal", "HR", "Data", "Executive committee"]
COLUMNS = ["employee_id", "display_name", "email", "role", "country", "languages", "time_zone", "seniority_level",
           "department", "availability", "skills", "must_match"]

PROGRAMME = {
    "name": "AI & digital reverse mentoring 2026",
    "countries": [c for c, _, _ in COUNTRIES],
    "languages": sorted({lang for *_, lang in COUNTRIES}),
    "sessions_per_pair": 6, "session_minutes": 60, "cadence_days": 14, "format": "one_to_one",
    "time_zones": {c: z for c, z, _ in COUNTRIES},
}


def _skills(rng: random.Random, mentor: bool) -> str:
    if mentor:  # juniors: strong on AI and digital tools, curious about what seniors know
        levels = [(t, rng.randint(3, 4), 0) for t in rng.sample(AI_TOPICS, 3)]
        levels += [(t, rng.randint(0, 2), rng.randint(2, 4)) for t in rng.sample(SENIOR_TOPICS, 1)]
    else:  # seniors: want AI skills, bring perspective
        levels = [(t, rng.randint(0, 2), rng.randint(2, 4)) for t in rng.sample(AI_TOPICS, 3)]
        levels += [(t, rng.randint(3, 4), 0) for t in rng.sample(SENIOR_TOPICS, 1)]
    return "|".join(f"{t}:{p}:{w}" for t, p, w in levels)


def hr_export(participants: int, seed: int = 2026) -> str:
    """An HR export (semicolon CSV) with as many juniors as seniors, plus one row HR got wrong."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    for i in range(participants):
        country, zone, language = COUNTRIES[i % len(COUNTRIES)]
        mentor = i % 2 == 0
        start = rng.choice([8, 9, 10])
        slots = "|".join(f"{d} {start:02d}:00-{start + 8:02d}:00" for d in sorted(rng.sample(DAYS, 4), key=DAYS.index))
        seniority = rng.randint(0, 2) if mentor else rng.randint(7, 10)
        writer.writerow([f"{country}-{i:05d}", f"{'Junior' if mentor else 'Senior'} {i}", f"p{i}@example.com",
                         "mentor" if mentor else "mentee", country, "|".join(sorted({language, "en"})), zone,
                         seniority, rng.choice(DEPARTMENTS), slots, _skills(rng, mentor),
                         "yes" if seniority == 10 else "no"])
    writer.writerow(["XX-99999", "Wrong Zone", "", "mentor", "FR", "fr", "Europe/Atlantis", 1, "IT", "", "", "no"])
    return out.getvalue()
