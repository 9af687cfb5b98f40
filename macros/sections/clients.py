"""The engine's section `clients`: what each client library the catalog lists in
`implementations` raises, prints and names for the code, in words that belong to no catalog.
Where no server message says otherwise, the server sends the code's canonical code with its
status, as the catalog gives them."""

from __future__ import annotations

from typing import Any

from .. import practice
from ..model import Catalog, ErrorCode

TEMPLATES = {"clients": "clients.md.j2"}
CODE_FIELDS = ()
# It shows the clients the catalog lists.
NEEDS = ("implementations",)
# Without a server message for the code, it arrives as its canonical code and status.
SENT_AS_CATALOGED = True


def values(catalog: Catalog, code: ErrorCode, doc_url: str) -> dict[str, Any]:
    return {"client_views": practice.sdk_views(catalog, code, sent_as_cataloged=SENT_AS_CATALOGED)}
