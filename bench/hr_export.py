"""A realistic generated HR export: 15 countries, their languages and time zones, juniors and seniors."""

import csv
import io
import random

COUNTRIES = [  # country, time zone, local language
    ("FR", "Europe/Paris", "fr"), ("DE", "Europe/Berlin", "de"), ("ES", "Europe/Madrid", "es"),
    ("IT", "Europe/Rome", "it"), ("PT", "Europe/Lisbon", "pt"), ("BE", "Europe/Brussels", "fr"),
    ("NL", "Europe/Amsterdam", "nl"), ("PL", "Europe/Warsaw", "pl"), ("GB", "Europe/London", "en"),
    ("US", "America/New_York", "en"), ("BR", "America/Sao_Paulo", "pt"), ("MX", "America/Mexico_City", "es"),
    ("MA", "Africa/Casablanca", "fr"), ("IN", "Asia/Kolkata", "en"), ("JP", "Asia/Tokyo", "ja"),
]
TOPICS = ["ai-assistants", "professional-networks", "collaborative-tools", "information-watch",
          "data-privacy-security", "innovation", "work-life-balance"]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri"]
DEPARTMENTS = ["Finance", "IT", "Sales", "Marketing", "Operations", "Legal", "HR", "Data", "Executive committee"]
COLUMNS = ["employee_id", "display_name", "email", "role", "country", "languages", "time_zone", "seniority_level",
           "department", "manager_employee_id", "availability", "skills", "must_match"]


def export(rows: int, seed: int = 7, delimiter: str = ";") -> str:
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(COLUMNS)
    for i in range(rows):
        country, zone, language = rng.choice(COUNTRIES)
        mentor = rng.random() < 0.45
        seniority = rng.randint(0, 3) if mentor else rng.randint(6, 10)
        languages = sorted({language, "en"} if rng.random() < 0.8 else {language})
        days = rng.sample(DAYS, 2)
        start = rng.choice([8, 9, 10, 13, 14])
        slots = "|".join(f"{d} {start:02d}:00-{start + 3:02d}:00" for d in days)
        skills = "|".join(f"{t}:{rng.randint(2, 4) if mentor else rng.randint(0, 2)}:{rng.randint(0, 4)}"
                          for t in rng.sample(TOPICS, 3))
        writer.writerow([f"EMP-{i:06d}", f"Employee {i}", f"employee{i}@example.com",
                         "mentor" if mentor else "mentee", country, "|".join(languages), zone, seniority,
                         rng.choice(DEPARTMENTS), f"EMP-{rng.randrange(rows):06d}" if i % 3 else "",
                         slots, skills, "yes" if seniority == 10 else "no"])
    return out.getvalue()


PROGRAMME = {
    "name": "Global AI reverse mentoring", "countries": [c for c, _, _ in COUNTRIES],
    "languages": sorted({lang for *_, lang in COUNTRIES} | {"en"}), "format": "group", "mentor_capacity": 10,
    "time_zones": {c: z for c, z, _ in COUNTRIES},
}
