"""HTTP and gRPC statuses as pages write them and readers type them."""

from __future__ import annotations

from http import HTTPStatus

# RFC 9110 reason phrases; Python before 3.13 still has the older names for these.
RFC9110_PHRASES = {413: "Content Too Large", 422: "Unprocessable Content"}
# Their names before RFC 9110 (RFC 7231, RFC 4918), which servers and documents still print.
OLDER_PHRASES = {413: "Payload Too Large", 422: "Unprocessable Entity"}

GRPC_STATUS_NUMBERS = {
    "CANCELLED": 1, "UNKNOWN": 2, "INVALID_ARGUMENT": 3, "DEADLINE_EXCEEDED": 4,
    "NOT_FOUND": 5, "ALREADY_EXISTS": 6, "PERMISSION_DENIED": 7, "RESOURCE_EXHAUSTED": 8,
    "FAILED_PRECONDITION": 9, "ABORTED": 10, "OUT_OF_RANGE": 11, "UNIMPLEMENTED": 12,
    "INTERNAL": 13, "UNAVAILABLE": 14, "DATA_LOSS": 15, "UNAUTHENTICATED": 16,
}


def http_status_text(status: int) -> str:
    phrase = RFC9110_PHRASES.get(status)
    if phrase is None:
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            return str(status)
    return f"{status} {phrase}"
