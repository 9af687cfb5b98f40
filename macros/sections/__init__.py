"""The optional sections of a code page, which a catalog declares by name (`sections` in its
file). Each is a module here with its templates beside it: the place on the page where each
template stands, and the values it writes. The code page's own template names none of them,
and what a section cites is read from its templates."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes

from ..model import Catalog, ErrorCode
from . import clients, sdk, transports

FOLDER = Path(__file__).resolve().parent
# Each section module's TEMPLATES names its templates in this folder.
PREFIX = "sections/"

SECTIONS = {"transports": transports, "sdk": sdk, "clients": clients}

# The places on a code page a section may fill: what "Where it surfaces" says, what the
# implementations do otherwise, an example after it, and the clients after the examples.
# A section's template "files", if any, opens the sources page's list of files instead.
PLACES = ("surfaces", "practice", "example", "clients")


def places(declared: tuple[str, ...]) -> dict[str, list[str]]:
    """For each place on a code page, the templates that the declared sections put there."""
    return {place: [PREFIX + SECTIONS[name].TEMPLATES[place] for name in declared
                    if place in SECTIONS[name].TEMPLATES] for place in PLACES}


def files_intro(declared: tuple[str, ...]) -> str | None:
    """The template that opens the sources page's list of files, where a declared section has
    one (the sdk section's tabs link it); the page's own words otherwise."""
    return next((PREFIX + SECTIONS[name].TEMPLATES["files"] for name in declared
                 if "files" in SECTIONS[name].TEMPLATES), None)


def values(catalog: Catalog, code: ErrorCode, doc_url: str) -> dict[str, Any]:
    """What the declared sections' templates write for this code, beyond what every page has."""
    found: dict[str, Any] = {}
    for name in catalog.sections:
        found.update(SECTIONS[name].values(catalog, code, doc_url))
    return found


def surfaces(declared: tuple[str, ...], item: dict[str, Any]) -> str | None:
    """Where a reader meets the code (a code's entry in the data file): what a declared section
    says, else "http" for a code with an HTTP status. The loader asks, so that what reads it
    (the SDK views, the wire-code pages) need not know the sections."""
    for name in declared:
        said = getattr(SECTIONS[name], "surfaces", None)
        if said is not None:
            return said(item)
    return "http" if item.get("http_status") is not None else None


def client_word(catalog: Catalog) -> str:
    """What the declared sections call a client library on the pages: "SDK", else "client"."""
    for name in catalog.sections:
        if word := getattr(SECTIONS[name], "CLIENT_WORD", None):
            return word
    return "client"


def sent_as_cataloged(catalog: Catalog) -> bool:
    """Whether a declared section shows a code as the server sends what the catalog gives it."""
    return any(getattr(SECTIONS[name], "SENT_AS_CATALOGED", False) for name in catalog.sections)


def status_fact(catalog: Catalog, code: ErrorCode) -> tuple[str, str] | None:
    """What a declared section says of the code's HTTP status where the status alone would
    mislead (an OJS error kept in a job's history), or None."""
    for name in catalog.sections:
        said = getattr(SECTIONS[name], "status_fact", None)
        if said is not None and (fact := said(code)) is not None:
            return fact
    return None


@functools.cache
def cited_by(name: str) -> tuple[str, ...]:
    """The sources a section's templates cite by name ({{ cite("ojs-errors §5.1") }}), which a
    catalog that declares the section must list in its documents."""
    environment = jinja2.Environment()
    cited: list[str] = []
    for template in SECTIONS[name].TEMPLATES.values():
        tree = environment.parse((FOLDER / template).read_text(encoding="utf-8"))
        for call in tree.find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name == "cite":
                if len(call.args) != 1 or not isinstance(call.args[0], nodes.Const):
                    raise ValueError(f"{FOLDER / template}: cite() takes one source written out")
                cited.append(call.args[0].value)
    return tuple(dict.fromkeys(cited))
