"""The listing's columns hand back the pages past what they keep; what they keep is intact."""

import mmap

import numpy as np

from matching.domain.memory import Column, trim


def test_a_column_keeps_its_prefix_and_returns_the_pages_wholly_past_it():
    column = Column(8 * mmap.PAGESIZE, np.int16)
    column.array[:] = 7
    kept = column.keep(100)
    assert kept.tolist() == [7] * 100
    per_page = mmap.PAGESIZE // 2
    assert (column.array[100:per_page] == 7).all()  # the rest of the kept page stays as written
    assert not column.array[per_page:].any()  # returned pages read back as zeros
    trim()  # no-op or glibc's malloc_trim: either way no error
