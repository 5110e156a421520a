"""The compiled listing (`listing_kernel.py`) lists exactly the couples that the vectorised rules of
`couples.py` and `rules.py` allow, with the same integer values as `couples.py` scores them (the
code continuous pairing and explanations use), on a programme with every rule switched on."""

import random

import numpy as np

from matching.domain.couples import allowed, rule_masks, utility
from matching.domain.explain import couple_criteria
from matching.domain.model import Slot
from matching.domain.pool import Pool
from matching.domain.rules import group_masks
from tests.unit.matching.builders import person, programme, skills
from tests.unit.matching.test_listing_chunks import listing


def test_compiled_listing_equals_the_vectorised_rules_and_scores():
    rng = random.Random(5)
    prog = programme(exclude_same_department=True, exclude_reporting_line=True)
    zones = [("FR", "Europe/Paris"), ("JP", "Asia/Tokyo"), ("US", "America/New_York"), ("IN", "Asia/Kolkata")]

    def someone(role, managers):
        country, zone = rng.choice(zones)
        days, hour = rng.sample(range(5), 3), rng.randrange(6, 12)
        week = [Slot(d, f"{hour:02d}:00", f"{hour + rng.randint(2, 10):02d}:00") for d in sorted(days)]
        return person(role, prog.programme_id, languages=rng.choice([("en",), ("fr", "en"), ("ja", "en"), ("ja",)]),
                      country=country, time_zone=zone, seniority=rng.randint(1, 9),
                      availability=week,
                      department=rng.choice(["hr", "it", None]),
                      manager_id=rng.choice(managers) if managers and rng.random() < 0.5 else None,
                      skills=skills(ai=(rng.randrange(5), rng.randrange(4)), go=(rng.randrange(5), rng.randrange(4)),
                                    ux=(rng.randrange(5), rng.randrange(4))))

    people = [someone("mentee", []) for _ in range(50)]
    managers = [c.participant_id for c in people[:5]]
    people += [someone(rng.choice(["mentor", "both"]), managers) for _ in range(40)]
    people += [someone("both", managers) for _ in range(20)]
    pool = Pool(prog, people, [])
    f = listing(pool)  # rows are pool rows; rank = row order
    p = pool.roster.people
    t = np.repeat(f.takers, len(f.givers))
    g = np.tile(f.givers, len(f.takers))
    masks = group_masks(pool, t, g) + rule_masks(p, t, g, pool.policy)
    keep = allowed(masks) & (t != g) & (~(p.both[t] & p.both[g]) | (g < t))
    expected = set(zip(t[keep].tolist(), g[keep].tolist(), strict=True))
    listed_t = np.repeat(f.takers, np.diff(f.start))
    listed_g = f.givers[f.giver.astype(np.int64)]
    assert set(zip(listed_t.tolist(), listed_g.tolist(), strict=True)) == expected
    assert len(expected) > 300 and (p.both[listed_t] & p.both[listed_g]).sum() > 10

    crit = couple_criteria(pool, listed_t, listed_g)
    assert np.array_equal(f.value.astype(np.int64), utility(crit.score(pool.policy)))


def test_skill_bits_give_the_float_dot_products_beyond_one_word():
    """20 topics x 4 levels = 80 columns: two words a row; wishes 0-4 (three bit planes)."""
    from matching.domain.listing_kernel import _dot, _meets, skill_bits

    rng = np.random.default_rng(3)
    learn = (rng.integers(0, 5, (30, 80)) * (rng.random((30, 80)) < 0.3)).astype(np.float32)
    teach = (rng.random((30, 80)) < 0.2).astype(np.float32)
    wants = (learn > 0).astype(np.float32)
    learn_bits, teach_bits, wants_bits = skill_bits(learn, teach, wants)
    assert teach_bits.shape == (30, 2) and learn_bits.shape == (30, 3, 2)
    for i in range(30):
        for j in range(30):
            assert _dot(learn_bits, i, teach_bits, j) == int(learn[i] @ teach[j])
            assert _meets(wants_bits, i, teach_bits, j) == bool(wants[i] @ teach[j] > 0)
    assert (learn[:, 64:] @ teach[:, 64:].T).any()  # the second word matters in this case
