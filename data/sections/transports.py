"""The section `transports`: where an error surfaces over the OJS transports (the HTTP
binding, the error history, workflows, gRPC, AMQP), and an example of the error as an OJS
backend reports it. Its sentences cite the OJS documents."""

from __future__ import annotations

import json
import re
from typing import Any

from macros.model import Catalog, ErrorCode, Variant
from macros.statuses import GRPC_STATUS_NUMBERS, OLDER_PHRASES, http_status_text
from macros.text import fenced_body

TEMPLATES = {"surfaces": "transports.md.j2", "example": "transports_example.md.j2"}
# What it adds to a code (its gRPC status and its AMQP mechanism, from ojs-errors §5.2 and
# §5.3), with their schemas: a catalog without this section has no such fields.
FIELDS = "transports.fields.json"
# The engine's field it shows: where a reader meets the code.
CODE_FIELDS = ("surfaces",)
# Where a code is met other than as an HTTP response: the SDK's own process, a job's error
# history, a workflow's state, the job's own state.
SURFACES = ("client", "history", "workflow", "job-state")

# Every example response carries the headers the HTTP binding requires (sections 4.1, 6.5).
BINDING_HEADERS = {
    "Content-Type": "application/openjobspec+json",
    "OJS-Version": "1.0",
    "X-Request-Id": "req_019539a4-b68c-7def-8000-000000000001",
}

# An illustrative moment for the error-history examples.
EXAMPLE_TIME = "2025-07-16T09:30:00Z"

_LOWER_CASE_CODE = re.compile(r"[a-z][a-z0-9_]*")

# A status the catalog gives a code that no server sends as a response: what the reader is
# told instead, by where the error surfaces.
_STATUS_CAVEATS = {
    "client": "as a default in the SDK's entry: no server sends it",
    "history": "not sent as an HTTP response",
    "workflow": "reported in the workflow's state",
    "job-state": "not sent as an HTTP response",
}


# The OJS catalog's reason for a code without a canonical code that the SDK or worker raises itself.
CLIENT_SIDE = "client-side"


def surfaces(item: dict[str, Any]) -> str:
    """Where a reader meets the code (its entry in the data file): "client", "history",
    "workflow", "job-state" or "http"; the entry's `surfaces` where it says."""
    if item.get("surfaces"):
        return item["surfaces"]
    if item.get("canonical_absent") == CLIENT_SIDE:
        return "client"
    return "history" if item.get("http_status") is None else "http"


def check(item: dict[str, Any]) -> list[tuple[str, str]]:
    """gRPC and AMQP carry the code's canonical code (ojs-errors §5.2, §5.3): a code without
    one has neither."""
    if isinstance(item.get("canonical_code"), str):
        return []
    return [(field, "only a code with a canonical code can have one") for field in ("grpc_status", "amqp")
            if field in item]


def values(catalog: Catalog, code: ErrorCode, doc_url: str) -> dict[str, Any]:
    grpc_status = code.fields.get("grpc_status")
    return {
        "grpc_status": grpc_status,
        "amqp": code.fields.get("amqp"),
        # ojs-errors §5.1 uses the names from before RFC 9110: the page gives both.
        "older_phrase": OLDER_PHRASES.get(code.http_status),
        "grpc_number": GRPC_STATUS_NUMBERS.get(grpc_status or ""),
        "http_binding_code": binding_code(code),
        "lower_case_codes": lower_case_codes(code),
        # Codes the status alone does not tell apart from this one, which has no wire code.
        "same_status": [c for c in catalog.codes_with_status(code.http_status) if c is not code
                        and c.surfaces == "http"] if code.canonical_code is None else [],
        "example": example_block(code, doc_url),
    }


def status_fact(code: ErrorCode) -> tuple[str, str] | None:
    """The code's HTTP status with a caveat, where the error does not come as that response."""
    if code.surfaces == "client":
        return f"{http_status_text(code.http_status)},", _STATUS_CAVEATS["client"]
    if code.surfaces in _STATUS_CAVEATS:
        return f"{code.http_status} in the catalog, but", _STATUS_CAVEATS[code.surfaces]
    return None


def lower_case_codes(code: ErrorCode) -> list[Variant]:
    """The lower-case wire codes, in the style of the HTTP binding's list, that any document
    gives this error: one variant for each code, the first document that names it."""
    found: dict[str, Variant] = {}
    for variant in code.variants:
        if variant.code and _LOWER_CASE_CODE.fullmatch(variant.code):
            found.setdefault(variant.code, variant)
    return list(found.values())


def binding_code(code: ErrorCode) -> str | None:
    """The lower-case code the HTTP and gRPC bindings give this error, if one names it."""
    for document, section in (("ojs-grpc-binding", "7.1"), ("ojs-http-binding", "16.3")):
        for variant in code.variants:
            if variant.code and (variant.source.document, variant.source.section) == (document, section):
                return variant.code
    return None


def example_block(code: ErrorCode, doc_url: str) -> str | None:
    """The error as the backend reports it: an HTTP response, or an error-history entry."""
    example = code.example
    if example is None or code.canonical_code is None:
        return None
    if code.surfaces == "history":
        entry: dict[str, Any] = {"code": code.canonical_code, "message": example.message}
        if example.error_type:
            entry["type"] = example.error_type  # optional in ojs-errors.md section 6.1
        entry.update({"attempt": 1, "occurred_at": EXAMPLE_TIME})
        return fenced_body(json.dumps(entry, indent=2, ensure_ascii=False), "json")
    if code.surfaces != "http":
        return None
    body: dict[str, Any] = {"code": code.canonical_code, "message": example.message}
    if example.details is not None:
        body["details"] = example.details
    body["retryable"] = code.retryable == "yes"
    body["doc_url"] = doc_url
    lines = [f"HTTP/1.1 {http_status_text(code.http_status)}"]
    lines += [f"{name}: {value}" for name, value in {**BINDING_HEADERS, **example.headers}.items()]
    lines += ["", json.dumps(body, indent=2, ensure_ascii=False)]
    return fenced_body("\n".join(lines), "http")
