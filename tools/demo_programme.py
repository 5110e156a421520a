"""The programme the main job drives: a reverse-mentoring rollout over five countries.

Juniors fluent in AI tools mentor senior managers; some pairs cross borders and time zones.
"""

WEEKDAY_MORNINGS = [{"weekday": d, "start": "08:30", "end": "12:30"} for d in range(5)]
WEEKDAY_AFTERNOONS = [{"weekday": d, "start": "13:30", "end": "18:00"} for d in range(5)]
WORKDAYS = [{"weekday": d, "start": "09:00", "end": "17:30"} for d in range(5)]

PROGRAMME = {
    "name": "AI & digital reverse mentoring 2026",
    "countries": ["FR", "DE", "ES", "BR", "US"],
    "languages": ["fr", "de", "es", "pt", "en"],
    "sessions_per_pair": 6,
    "session_minutes": 60,
    "cadence_days": 14,
}


def person(employee_id, name, role, country, languages, tz, seniority, department, availability):
    return {"employee_id": employee_id, "display_name": name, "role": role, "country": country,
            "languages": languages, "time_zone": tz, "seniority_level": seniority,
            "department": department, "availability": availability}


# Each pair shares exactly one working language with nobody else, so the foundation's greedy
# matcher forms the same five pairs whatever order the enrollments reach it in. Two pairs cross a
# border or a time zone: Madrid <-> Sao Paulo in Spanish, Chicago <-> New York in English.
PARTICIPANTS = [
    person("FR-0192", "Claire Dubois", "mentee", "FR", ["fr"], "Europe/Paris", 9, "Executive committee", WORKDAYS),
    person("DE-5521", "Jürgen Weber", "mentee", "DE", ["de"], "Europe/Berlin", 8, "Finance", WEEKDAY_MORNINGS),
    person("BR-7781", "Marcos Silva", "mentee", "BR", ["es"], "America/Sao_Paulo", 7, "Sales", WORKDAYS),
    person("BR-3310", "Beatriz Lima", "mentee", "BR", ["pt"], "America/Manaus", 8, "Operations", WORKDAYS),
    person("US-1044", "Linda Parker", "mentee", "US", ["en"], "America/New_York", 9, "Legal", WEEKDAY_MORNINGS),
    person("FR-0817", "Jean Martin", "mentor", "FR", ["fr"], "Europe/Paris", 1, "Data", WEEKDAY_AFTERNOONS),
    person("DE-9120", "Lena Fischer", "mentor", "DE", ["de"], "Europe/Berlin", 2, "IT", WORKDAYS),
    person("ES-4471", "Lucía Romero", "mentor", "ES", ["es"], "Europe/Madrid", 1, "Marketing", WORKDAYS),
    person("BR-2208", "Ana Costa", "mentor", "BR", ["pt"], "America/Sao_Paulo", 2, "Digital", WORKDAYS),
    person("US-6630", "Tyler Brooks", "mentor", "US", ["en"], "America/Chicago", 1, "Engineering", WORKDAYS),
]

# Shows that bad input is refused with the field named, and nothing is half-written.
INVALID = person("XX-0001", "Invalid Zone", "mentor", "FR", ["fr"], "Europe/Atlantis", 1, "IT", WORKDAYS)
