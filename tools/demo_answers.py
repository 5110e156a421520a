"""Survey answers with realistic variation (seeded): mostly enthusiastic, not unanimously."""

import random

ATTITUDES = ("can_teach_me", "easy_to_work_with", "adaptable", "reliable", "committed")
SENIOR_GAINS = ("digital_skills", "relationship_to_work", "enthusiasm", "confidence_with_ai")
JUNIOR_GAINS = ("perspective", "network", "visibility", "confidence")


class Answers:
    def __init__(self, seed: int = 97) -> None:
        self.rng = random.Random(seed)

    def attitudes(self, shift: float = 0.0) -> list[dict[str, int]]:
        return [{"item": item, "score": max(1, min(5, round(self.rng.gauss(3.2 + shift, 0.8))))}
                for item in ATTITUDES]

    def session_survey(self, session_id: str, respondent_id: str, first: bool) -> dict[str, object]:
        body: dict[str, object] = {"session_id": session_id, "respondent_id": respondent_id,
                                   "rating": self.rng.choices([3, 4, 5], weights=[1, 4, 6])[0]}
        if first:
            body["attitudes"] = self.attitudes()
        return body

    def end_survey(self, pair_id: str, respondent_id: str, role: str, skills_before: dict[str, int]):
        nps = self.rng.choices(range(11), weights=[0, 0, 0, 1, 1, 2, 3, 6, 10, 14, 12])[0]
        uplift = (lambda p: min(4, p + self.rng.choice([0, 1, 1, 2]))) if role == "mentee" else (lambda p: p)
        return {"pair_id": pair_id, "respondent_id": respondent_id, "would_recommend": nps >= 5 or
                self.rng.random() < 0.5, "nps": nps,
                "skills": [{"topic": t, "proficiency": uplift(p)} for t, p in skills_before.items()],
                "attitudes": self.attitudes(shift=0.6),
                "gains": self.rng.sample(SENIOR_GAINS if role == "mentee" else JUNIOR_GAINS, 2)}
