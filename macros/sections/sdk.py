"""The section `sdk`: what each SDK raises, prints and names for the error today, from the
catalog's `implementations`."""

from __future__ import annotations

from typing import Any

from .. import practice
from ..model import Catalog, ErrorCode

TEMPLATES = {"clients": "sdk.md.j2"}
CODE_FIELDS: tuple[str, ...] = ()  # it reads the catalog's implementations, no field of a code


def values(catalog: Catalog, code: ErrorCode, doc_url: str) -> dict[str, Any]:
    return {
        "sdk_views": practice.sdk_views(catalog, code),
        "grpc_statuses": catalog.implementations.backends.grpc_statuses if catalog.implementations else {},
    }
