"""The section `sdk`: what each SDK raises, prints and names for the error today, from the
catalog's `implementations`, and where the SDKs and backends do otherwise than the catalog
says, from each code's `in_practice`."""

from __future__ import annotations

from typing import Any

from macros import practice
from macros.model import Catalog, ErrorCode

TEMPLATES = {"practice": "sdk_practice.md.j2", "clients": "sdk.md.j2", "files": "sdk_files.md.j2"}
# The implementations themselves are not only this section's: the search box, the forms
# of a code and the wire-code pages read them too.
CODE_FIELDS = ("in_practice",)
CLIENT_WORD = "SDK"


def values(catalog: Catalog, code: ErrorCode, doc_url: str) -> dict[str, Any]:
    return {
        "sdk_views": practice.sdk_views(catalog, code),
        "grpc_statuses": catalog.implementations.grpc_statuses if catalog.implementations else {},
    }
