"""Query parameters every list shares, bounded so no value reaches the store as an overflow."""

from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator, BeforeValidator

MAX_OFFSET = 1_000_000  # far beyond any list here; a signed 64-bit skip overflows at 2**63

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"items to skip (0 to {MAX_OFFSET})")]
Limit = Annotated[int, Query(ge=1, le=500, description="page size (1 to 500)")]

# Filters match whatever letter case the client uses (`country=jp` finds JP).
Country = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2, any letter case"),
                    AfterValidator(lambda v: v.upper() if v else v)]
AnyCase = BeforeValidator(lambda v: v.lower() if isinstance(v, str) else v)
