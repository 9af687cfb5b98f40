"""How an SDK's code table names a code: the templates of the data file's `constants`."""

from __future__ import annotations

import re

from .model import ErrorCode


def screaming_snake(name: str) -> str:
    """DuplicateJob -> DUPLICATE_JOB: an underscore before every capital but the first. A name
    with no lower-case letter is taken as written already (NOT_FOUND, not N_O_T__F_O_U_N_D)."""
    if not any(ch.islower() for ch in name):
        return name
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


def constant(template: str, code: ErrorCode) -> str:
    """ojs.Code{Name} -> ojs.CodeDuplicateJob; OJS_{number}_{NAME} -> OJS_3001_DUPLICATE_JOB."""
    values = {"Name": code.name, "NAME": screaming_snake(code.name), "number": code.number}
    return re.sub(r"\{(Name|NAME|number)\}", lambda m: values[m.group(1)], template)
