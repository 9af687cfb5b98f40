"""The section `sdk`: what each SDK raises, prints and names for the error today, and where
the SDKs and backends do otherwise than the catalog says, from the catalog's
`implementations` and each code's `in_practice`."""

from __future__ import annotations

from typing import Any

from .. import practice
from ..model import Catalog, ErrorCode

TEMPLATES = {"practice": "sdk_practice.md.j2", "clients": "sdk.md.j2"}
CODE_FIELDS = ("in_practice",)
# What only this section's catalogs may have (the loader refuses it elsewhere).
CATALOG_FIELDS = ("implementations",)


def values(catalog: Catalog, code: ErrorCode, doc_url: str) -> dict[str, Any]:
    return {
        "sdk_views": practice.sdk_views(catalog, code),
        "grpc_statuses": catalog.implementations.backends.grpc_statuses if catalog.implementations else {},
    }
