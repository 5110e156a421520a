"""`make test` replays the same examples on every run: each property test is derandomized, without an
example database, and draws at least as many examples as it asks for; `make fuzz` draws new ones."""

import importlib
from pathlib import Path

from hypothesis import settings

from tests.properties import BASE, FUZZ_FACTOR, examples

TESTS = Path(__file__).resolve().parents[2]


def _property_tests() -> list[tuple[str, object]]:
    found = []
    for path in sorted((TESTS / "unit").rglob("test_*.py")):
        if "@given" not in path.read_text():
            continue
        module = importlib.import_module(".".join(path.relative_to(TESTS.parent).with_suffix("").parts))
        found += [(f"{module.__name__}.{name}", test) for name, test in vars(module).items()
                  if getattr(test, "is_hypothesis_test", False)]
    return found


def test_every_property_test_replays_fixed_examples_in_make_test():
    tests = _property_tests()
    assert len(tests) >= 12, [name for name, _ in tests]
    for name, test in tests:
        chosen = test._hypothesis_internal_use_settings
        assert chosen.derandomize, f"{name} draws new examples on every run"
        assert chosen.database is None, f"{name} replays examples from a local database"
        assert chosen.max_examples >= 25, f"{name} draws only {chosen.max_examples} examples"


def test_the_fuzz_profile_draws_new_examples_many_times_over():
    fuzz = settings.get_profile("fuzz")
    assert not fuzz.derandomize and fuzz.max_examples == BASE * FUZZ_FACTOR
    assert examples(30) == 30  # the ci profile, loaded by tests/conftest.py
