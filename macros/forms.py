"""Every form in which a reader may hold a code, derived in one place.

A developer arrives with whatever is on their screen: the OJS code, its number, the name,
the canonical wire code, an SDK constant as written in code, the gRPC reason, or a wire
code another specification document uses. Forms are compared folded: lower case, letters
and digits only, so OJS-3001, ojs_3001 and ojs3001 are one form, and so are DUPLICATE_JOB
and DuplicateJob. The lookup file publishes these forms; the search box and the 404 page
(docs/javascripts/code-finder.js) recognise them from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Catalog, ErrorCode
from .sdk import sdk_names

# "primary" forms belong to one code only; "wire" forms are codes other specification
# documents use, and several errors may share one (invalid_request names five).
PRIMARY, WIRE = "primary", "wire"


@dataclass(frozen=True)
class Form:
    text: str  # as a reader writes it: ojs::error_codes::OJS_3001_DUPLICATE_JOB
    kind: str  # what it is: "code", "go", "grpc reason", …
    strength: str  # PRIMARY or WIRE


def fold(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def forms(code: ErrorCode) -> list[Form]:
    names = sdk_names(code)
    primary = [
        (code.code, "code"), (code.number, "number"), (code.name, "name"),
        (names.go, "Go constant"), (f"ojs.{names.go}", "Go constant"),
        (names.typescript, "JS/TS and Rust constant"), (f"ojs::error_codes::{names.rust}", "Rust path"),
        (names.python, "Python, Java and Ruby constant"), (f"ojs.error_codes.{names.python}", "Python path"),
        (f"ErrorCode.{names.java}", "Java constant"), (f"OJS::ErrorCodes::{names.ruby}", "Ruby constant"),
    ]
    if code.canonical_code:
        primary += [(code.canonical_code, "canonical code"), (f"OJS_{code.canonical_code}", "gRPC reason")]
    found = [Form(text, kind, PRIMARY) for text, kind in primary]
    found += [Form(v.code, f"wire code ({v.source.label})", WIRE) for v in code.variants if v.code]
    return found


def form_clashes(catalog: Catalog) -> list[tuple[str, str, str]]:
    """(form, code, other code) for primary forms two codes share once folded."""
    owner: dict[str, str] = {}
    clashes = []
    for code in catalog.codes:
        for form in forms(code):
            if form.strength != PRIMARY:
                continue
            key = fold(form.text)
            other = owner.setdefault(key, code.code)
            if other != code.code:
                clashes.append((form.text, code.code, other))
    return clashes


def lookup(catalog: Catalog) -> dict:
    """The forms table the search box and the 404 page read: folded form -> code indexes.

    A primary form maps to its one code first; codes that merely share it as a wire code
    follow, so a search lists them all while an address goes to the first.
    """
    index = {code.code: position for position, code in enumerate(catalog.codes)}
    table: dict[str, list[int]] = {}
    for strength in (PRIMARY, WIRE):
        for code in catalog.codes:
            for form in forms(code):
                entries = table.setdefault(fold(form.text), [])
                if form.strength == strength and index[code.code] not in entries:
                    entries.append(index[code.code])
    primaries = {fold(f.text) for code in catalog.codes for f in forms(code) if f.strength == PRIMARY}
    return {"forms": table, "wire_only": sorted(set(table) - primaries)}
