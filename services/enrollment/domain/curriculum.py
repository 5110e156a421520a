"""The default reverse-mentoring curriculum's topics (versioned catalogues are the enrollment issue's)."""

DEFAULT_CURRICULUM_VERSION = "2026.1"

DEFAULT_TOPICS: dict[str, str] = {
    "ai-assistants": "AI assistants: ChatGPT, Copilot, Claude",
    "professional-networks": "Professional social networks",
    "collaborative-tools": "Collaborative tools",
    "information-watch": "Information-watch tools",
    "data-privacy-security": "Data privacy and security",
    "innovation": "Innovation",
    "work-life-balance": "Work-life balance and burn-out prevention",
}
