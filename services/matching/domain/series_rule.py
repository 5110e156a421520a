"""Matching's availability rule: a couple is feasible when a whole series of sessions fits both
availabilities over the programme's dates (shared/availability, the model scheduling plans with).

People are grouped by availability profile (zone, country, region, weekly slots); the answer is
computed once per (mentee group, mentor group) and cached for the sides of a solve, so the rule
costs one group matrix per round however often the solver asks for a block of rows.
"""

from collections import OrderedDict

import numpy as np

from matching.domain.model import Candidate
from shared.availability import Profile, ProgrammeCalendar, Slot, compatible

_CODES: dict[Profile, int] = {}
_PROFILES: list[Profile] = []
_MATRICES: OrderedDict[tuple, np.ndarray] = OrderedDict()


def profile_of(c: Candidate) -> Profile:
    return Profile(c.time_zone, c.country, c.region, tuple(sorted(Slot.of(*s) for s in c.availability)))


def profile_code(c: Candidate) -> int:
    """A small integer per distinct profile (process-wide), so sides carry their groups as an array."""
    profile = profile_of(c)
    code = _CODES.get(profile)
    if code is None:
        code = _CODES[profile] = len(_PROFILES)
        _PROFILES.append(profile)
    return code


def series_mask(e_codes: np.ndarray, m_codes: np.ndarray, rows: slice, cal: ProgrammeCalendar) -> np.ndarray:
    """(rows of e, all of m) bool: the couple's groups can hold the programme's whole series."""
    e_groups, e_index = np.unique(e_codes, return_inverse=True)
    m_groups, m_index = np.unique(m_codes, return_inverse=True)
    key = (cal, e_groups.tobytes(), m_groups.tobytes())
    matrix = _MATRICES.get(key)
    if matrix is None:
        matrix = compatible([_PROFILES[i] for i in e_groups], [_PROFILES[j] for j in m_groups], cal)
        _MATRICES[key] = matrix
        if len(_MATRICES) > 8:
            _MATRICES.popitem(last=False)
    else:
        _MATRICES.move_to_end(key)
    return matrix[e_index[rows]][:, m_index]
