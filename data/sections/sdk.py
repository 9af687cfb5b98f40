"""The section `sdk`: what each SDK raises, prints and names for the error today, from the
catalog's `implementations`, and where the SDKs and backends do otherwise than the catalog
says, from each code's `in_practice`."""

from __future__ import annotations

from typing import Any

from macros import practice
from macros.model import Catalog, ErrorCode, Variant

TEMPLATES = {"practice": "sdk_practice.md.j2", "clients": "sdk.md.j2", "files": "sdk_files.md.j2"}
# The implementations themselves are not only this section's: the search box, the forms
# of a code and the wire-code pages read them too.
CODE_FIELDS = ("in_practice",)
CLIENT_WORD = "SDK"


def sent_variant(code: ErrorCode) -> Variant | None:
    """Without a reference backend's message for the code, what an OJS server sends is taken
    to be the HTTP binding's code for it: the first lower-case wire code a document gives it,
    in the binding's style (ojs-http-binding §16.3)."""
    return next((variant for variant in code.variants if variant.code and variant.code.islower()), None)


def values(catalog: Catalog, code: ErrorCode, doc_url: str) -> dict[str, Any]:
    return {
        "sdk_views": practice.sdk_views(catalog, code),
        "grpc_statuses": catalog.implementations.grpc_statuses if catalog.implementations else {},
    }
