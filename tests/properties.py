"""The property tests' Hypothesis profiles: the same examples on every `make test`, new ones under `make fuzz`.

`ci` (the default) derandomizes (each test's examples are drawn from a seed derived from the test
itself) and keeps no example database, so a run's outcome depends on the code alone: a rare
counterexample cannot first appear in CI. `fuzz` (`make fuzz`, `--hypothesis-profile=fuzz`) draws
new random examples, `FUZZ_FACTOR` times as many per test, and keeps the ones that failed in
`.hypothesis/` so that the next run tries them first.
"""

from hypothesis import settings

FUZZ_FACTOR = 20
BASE = 100  # Hypothesis's own max_examples, which `ci` keeps

# Both profiles start from Hypothesis's own defaults, not from whatever profile is loaded when this module is
# imported: with the CI variable set, Hypothesis loads its built-in (derandomized) `ci` profile first.
_DEFAULTS = settings.get_profile("default")
settings.register_profile("ci", parent=_DEFAULTS, derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("fuzz", parent=_DEFAULTS, derandomize=False, deadline=None,
                          max_examples=BASE * FUZZ_FACTOR, print_blob=True)


def examples(n: int) -> int:
    """`n` examples under `ci`, `FUZZ_FACTOR` times as many under `fuzz` (read when a test module is imported)."""
    return n * max(1, settings.default.max_examples // BASE)
