"""How each of the six OJS SDKs names a catalog code (see shared/reference/sdk-identifiers.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import ErrorCode


def screaming_snake(name: str) -> str:
    """DuplicateJob -> DUPLICATE_JOB: an underscore before every capital but the first."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


@dataclass(frozen=True)
class SdkNames:
    go: str
    typescript: str
    python: str
    java: str
    rust: str
    ruby: str


def sdk_names(code: ErrorCode) -> SdkNames:
    # SDK identifiers derive from the Name, not the canonical code:
    # OJS-3000 is JOB_NOT_FOUND in Python although its wire code is NOT_FOUND.
    snake = screaming_snake(code.name)
    numbered = f"OJS_{code.number}_{snake}"
    return SdkNames(
        go=f"Code{code.name}",
        typescript=numbered,
        python=snake,
        java=snake,
        rust=numbered,
        ruby=snake,
    )
