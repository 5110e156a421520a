"""`make test` replays the same examples on every run: each property test is derandomized, without an
example database, and draws at least as many examples as it asks for; `make fuzz` draws new ones."""

import importlib
import os
import subprocess
import sys
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


def test_the_profiles_are_the_same_whether_or_not_the_ci_variable_is_set():
    """With CI set, Hypothesis loads its own derandomized profile before ours are registered (CI caught it)."""
    probe = ("import tests.properties; from hypothesis import settings as s; "
             "f, c = s.get_profile('fuzz'), s.get_profile('ci'); "
             "print(f.derandomize, f.database is None, c.derandomize, c.database is None, c.deadline)")
    outside_ci = {k: v for k, v in os.environ.items() if k not in ("CI", "TF_BUILD")}
    seen = {subprocess.run([sys.executable, "-c", probe], env=env, cwd=TESTS.parent,
                           capture_output=True, text=True, check=True).stdout
            for env in ({**outside_ci, "CI": "true"}, outside_ci)}
    assert seen == {"False False True True None\n"}
