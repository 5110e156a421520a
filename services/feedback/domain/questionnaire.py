"""The fixed questions of the surveys, so answers can be compared across programmes and countries.

Attitude items are asked of both generations about the other one (seniors about juniors, juniors
about seniors): in reverse mentoring the mentor is the junior and the mentee the senior. Each is a
Likert agreement 1-5, asked in the respondent's first session survey (before) and the end survey
(after).
"""

from typing import Literal

ATTITUDE_ITEMS = (
    "can_teach_me",  # "People of the other generation can teach me something useful at work"
    "easy_to_work_with",
    "adaptable",
    "reliable",
    "committed",
)
SENIOR_GAINS = ("digital_skills", "relationship_to_work", "enthusiasm", "confidence_with_ai")
JUNIOR_GAINS = ("perspective", "network", "visibility", "confidence")
DIRECTION = {"mentee": "seniors_about_juniors", "mentor": "juniors_about_seniors"}

Answers = dict[str, int]


class InvalidAnswer(ValueError):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


def check_attitudes(answers: Answers) -> Answers:
    for item, score in answers.items():
        if item not in ATTITUDE_ITEMS:
            raise InvalidAnswer("attitudes", f"unknown attitude item {item!r}; known: {', '.join(ATTITUDE_ITEMS)}")
        if not 1 <= score <= 5:
            raise InvalidAnswer("attitudes", f"{item} must be 1-5")
    return dict(sorted(answers.items()))


def check_gains(role: Literal["mentor", "mentee"], gains: tuple[str, ...]) -> tuple[str, ...]:
    allowed = SENIOR_GAINS if role == "mentee" else JUNIOR_GAINS
    for gain in gains:
        if gain not in allowed:
            raise InvalidAnswer("gains", f"{gain!r} is not a gain asked of a {role}; known: {', '.join(allowed)}")
    return tuple(sorted(set(gains)))


def check_skills(skills: dict[str, int]) -> dict[str, int]:
    for topic, level in skills.items():
        if not 0 <= level <= 4:
            raise InvalidAnswer("skills", f"{topic} must be 0-4 like the proficiency given at enrollment")
    return dict(sorted(skills.items()))
