"""Every form in which a reader may hold a code, derived in one place.

A developer arrives with whatever is on their screen: the OJS code, its number, the name,
the canonical wire code, an SDK constant as written in code, another form the catalog
declares (the gRPC reason, code_format.forms), a wire code
another specification document or an implementation uses, or the name of an SDK's error
class. Forms are compared folded: lower case, letters and digits only, so OJS-3001,
ojs_3001 and ojs3001 are one form, and so are DUPLICATE_JOB and DuplicateJob.

A form leads to targets: the pages of codes, and the pages of wire codes that stand for
several (errors/conflict/). The lookup file publishes the forms and the texts of
macros/implementations.py as patterns; the search box and the 404 page
(overrides/javascripts/code-finder.js) recognise them from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .implementations import Implementations, Sdk, WireCode, wire_constant
from .layout import GENERATED_PAGES
from .model import Catalog, ErrorCode
from .sdk import constant

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


# The kinds of form a code has from its own values in the catalog, beside what clients and
# documents call it: what the search index is told a page is about.
OWN_KINDS = ("code", "number", "name", "canonical code")


def forms(catalog: Catalog, code: ErrorCode) -> list[Form]:
    code_kind, number_kind, name_kind, canonical_kind = OWN_KINDS
    primary = [(code.code, code_kind)] + ([(code.number, number_kind)] if code.number else []) + [(code.name, name_kind)]
    for sdk in catalog.implementations.sdks if catalog.implementations else ():
        primary += [(constant(template, code), f"{sdk.label} constant") for template in sdk.constants]
    if code.canonical_code:
        primary.append((code.canonical_code, canonical_kind))
    primary += [(text, other.kind) for text, other in catalog.code_format.other_forms(code)]
    found = [Form(text, kind, PRIMARY) for text, kind in primary]
    found += [Form(v.code, f"wire code ({v.source.label})", WIRE) for v in code.variants if v.code]
    return found


def form_clashes(catalog: Catalog) -> list[tuple[str, str, str]]:
    """(form, code, other code) for primary forms two codes share once folded."""
    owner: dict[str, str] = {}
    clashes = []
    for code in catalog.codes:
        for form in forms(catalog, code):
            if form.strength != PRIMARY:
                continue
            key = fold(form.text)
            other = owner.setdefault(key, code.code)
            if other != code.code:
                clashes.append((form.text, code.code, other))
    return clashes


def primary_owners(catalog: Catalog) -> dict[str, ErrorCode]:
    return {fold(f.text): code for code in catalog.codes for f in forms(catalog, code) if f.strength == PRIMARY}


def wire_meaning(catalog: Catalog, wire: str) -> list[str]:
    """The codes a wire code stands for, best first: its page's list, else the code it is a
    primary form of, then the codes other documents or the backends give it."""
    key = fold(wire)
    page = next((w for w in catalog.wire_codes if fold(w.code) == key), None)
    found = list(page.means) if page else []
    owner = primary_owners(catalog).get(key)
    if owner and owner.code not in found:
        found.insert(0, owner.code)
    for code in catalog.codes:
        if any(v.code and fold(v.code) == key for v in code.variants) and code.code not in found:
            found.append(code.code)
    if catalog.implementations:
        for message in catalog.implementations.messages:
            if fold(message.wire) == key:
                found += [c for c in message.codes() if c not in found]
    return found


def sdk_forms(catalog: Catalog) -> list[tuple[str, str, list[str]]]:
    """(form, what it is, codes or wire codes it stands for) for the names the SDKs give errors,
    one row a spelling (a name several SDKs use is in several rows, which the lookup merges):
    their classes and checks (DuplicateJobError, ojs.ErrDuplicate, is_duplicate()), and the
    classes of the errors they raise themselves (OJSConnectionError)."""
    implementations: Implementations | None = catalog.implementations
    if implementations is None:
        return []
    found: list[tuple[str, str, list[str]]] = []
    for sdk in implementations.sdks:
        claimed: set[str] = set()
        for sdk_type in sdk.types:
            meaning = _type_meaning(catalog, sdk, sdk_type, claimed)
            for text in _spellings(sdk, sdk_type.name):
                found.append((text, f"{sdk.label} error", meaning))
        for entry in sdk.client + sdk.worker:
            if entry.error and entry.error not in sdk.language_errors:
                for text in _spellings(sdk, entry.error):
                    found.append((text, f"{sdk.label} error", list(entry.means)))
        if sdk.unreadable and sdk.unreadable.error:
            for text in _spellings(sdk, sdk.unreadable.error):
                found.append((text, f"{sdk.label} error", [sdk.unreadable.wire]))
        for wire in sdk.wire_constant_codes:
            for template in sdk.wire_constants:
                found.append((wire_constant(template, wire), f"{sdk.label} wire code constant", [wire]))
    return found


def _type_meaning(catalog: Catalog, sdk: Sdk, sdk_type, claimed: set[str]) -> list[str]:
    if sdk_type.wire:
        meaning = [code for wire in sdk_type.wire for code in wire_meaning(catalog, wire)]
        if sdk_type.code and sdk_type.code not in sdk_type.wire:
            meaning.insert(0, sdk_type.code)
    elif sdk_type.code and sdk_type.code in {w.code for w in catalog.wire_codes}:
        meaning = [sdk_type.code]  # a class that stands for a wire code with a page of its own
    else:
        meaning = [c.code for c in catalog.codes if c.http_status in (sdk_type.status or ())
                   and c.surfaces == "http" and c.code not in claimed]
    meaning = list(dict.fromkeys(meaning))
    claimed.update(m for m in meaning if m in {c.code for c in catalog.codes})
    return meaning


def _spellings(sdk: Sdk, name: str) -> list[str]:
    """A name as written in code, as the language prints it, and without its qualifier or
    call where what is left still says something: ojs.ErrDuplicate, ErrDuplicate;
    e.isDuplicate(), isDuplicate; OJS::ConflictError, ConflictError; DuplicateJobError,
    ojs.errors.DuplicateJobError. OJS::Error does not leave Error."""
    bare = re.sub(r"\(\)$", "", name)
    last = re.split(r"::|\.", bare)[-1]
    spelled = [name, bare] + ([last] if re.search(r"[a-z][A-Z]|_", last) and last not in sdk.language_errors else [])
    printed = sdk.shown_as.split("{text}")[0].rstrip(" :(")
    if "{error}" in printed and sdk.types_are == "classes":
        spelled.append(printed.replace("{error}", name))
    return list(dict.fromkeys(spelled))


def lookup(catalog: Catalog) -> dict:
    """The forms table the search box and the 404 page read: folded form -> target indexes.

    Targets are the codes, in code order, then the wire codes' pages. A primary form maps to
    its one code first; codes that merely share it as a wire code follow, so a search lists
    them all while an address goes to the first. A wire code with a page leads to its one
    code if it stands for one, else to its page, and then to the codes it stands for.
    """
    index = {code.code: position for position, code in enumerate(catalog.codes)}
    pages = {fold(w.code): len(catalog.codes) + position for position, w in enumerate(catalog.wire_codes)}
    table: dict[str, list[int]] = {}

    def add(key: str, targets: list[int]) -> None:
        entries = table.setdefault(key, [])
        entries += [t for t in targets if t not in entries]

    def targets_of(meaning: list[str]) -> list[int]:
        found: list[int] = []
        for item in meaning:
            if item in index:
                found.append(index[item])
            elif fold(item) in pages:
                page = pages[fold(item)]
                codes = [index[c] for c in catalog.wire_codes[page - len(catalog.codes)].means]
                found += codes + [page] if len(codes) == 1 else [page] + codes
            else:
                found += [index[c] for c in wire_meaning(catalog, item)]
        return list(dict.fromkeys(found))

    for code in catalog.codes:
        for form in forms(catalog, code):
            if form.strength == PRIMARY:
                add(fold(form.text), [index[code.code]])
    for key, page in pages.items():
        wire = catalog.wire_codes[page - len(catalog.codes)]
        codes = [index[c] for c in wire.means]
        add(key, codes + [page] if len(codes) == 1 else [page] + codes)
    for code in catalog.codes:
        for form in forms(catalog, code):
            if form.strength == WIRE:
                add(fold(form.text), [index[code.code]])
    exact: dict[str, list[int]] = {}
    spelled: dict[str, set[str]] = {}
    for text, _, meaning in sdk_forms(catalog):
        add(fold(text), targets_of(meaning))
        spelled.setdefault(fold(text), set()).add(text)
        exact.setdefault(text, []).extend(t for t in targets_of(meaning) if t not in exact.get(text, []))
    primaries = {fold(f.text) for code in catalog.codes for f in forms(catalog, code) if f.strength == PRIMARY}
    # SDK names that fold alike (Ruby's OJS::ConflictError, JS's OJSConflictError) but mean
    # different things: as written, each finds its own first.
    exact = {text: targets for text, targets in exact.items() if len(spelled[fold(text)]) > 1
             and targets != table[fold(text)]}
    return {"forms": table, "wire_only": sorted(set(table) - primaries - set(pages)), "exact": exact,
            "pages": pages}


def destination(known: dict, text: str) -> int | None:
    """The target an address with this form goes to: a wire code's own page where it has
    one (the address is that page's, in any case), else the form's first target, unless it
    is a wire code several errors share (then the 404 page lists them)."""
    key = fold(text)
    if key in known["pages"]:
        return known["pages"][key]
    targets = known["forms"].get(key)
    if not targets:
        return None
    return None if key in known["wire_only"] and len(targets) > 1 else targets[0]


def pages_and_forms(catalog: Catalog) -> list[tuple[str, list[Form]]]:
    """Every page a reader's address may lead to, as its name under errors/ (OJS-3001,
    conflict), with the forms whose addresses go there."""
    known = lookup(catalog)
    found = []
    for position, code in enumerate(catalog.codes):
        found.append((code.code, [f for f in forms(catalog, code) if destination(known, f.text) == position]))
    for position, wire in enumerate(catalog.wire_codes, start=len(catalog.codes)):
        spelled = [Form(wire.code, "wire code", PRIMARY)] if re.fullmatch(r"[A-Za-z0-9_]+", wire.code) else []
        found.append((wire.page, [f for f in spelled if destination(known, f.text) == position]))
    return found


# The field of the data file a form comes from, for the error that names it.
_FIELD_OF_KIND = {"code": "code", "number": "code", "canonical code": "canonical_code"}


def forms_at_page_addresses(catalog: Catalog) -> list[tuple[str, str, str]]:
    """(entry, field, problem) for a form of a code whose address is another page of the
    catalog (the name INTERNAL and the category page internal/): every host would send that
    page's readers to the code instead. Addresses are compared in any case, as nginx does."""
    pages = {c.slug.casefold(): f"the page {c.slug}/" for c in catalog.categories}
    pages.update({name: f"the page {name}/" for name in GENERATED_PAGES})
    field_of_kind = {**_FIELD_OF_KIND, **{other.kind: other.field for other in catalog.code_format.forms}}
    problems = []
    for code, (_, code_forms) in zip(catalog.codes, pages_and_forms(catalog)):
        reported = set()
        for form in code_forms:
            taken = pages.get(form.text.casefold())
            if taken is not None and taken not in reported:  # a name and its SDK constants: once
                reported.add(taken)
                field = "variants" if form.kind.startswith("wire code") else field_of_kind.get(form.kind, "name")
                problems.append((f"code {code.code}", field, f"its form {form.text} ({form.kind}) is the address "
                                 f"of {taken} of the site, which every host would redirect to {code.code}: "
                                 f"choose another {field}"))
    return problems


def wire_page_problems(catalog: Catalog) -> list[tuple[str, str]]:
    """(entry, problem) where a wire code's page would take another page's place, or a wire
    code that implementations send or documents share has no page to lead to."""
    problems = []
    owners = primary_owners(catalog)
    pages = {fold(w.code): w for w in catalog.wire_codes}
    for wire in catalog.wire_codes:
        owner = owners.get(fold(wire.code))
        if owner is not None:
            problems.append((f"wire code {wire.code}", f"folds to a form of {owner.code} ({owner.name}): "
                             f"its page is {owner.code}'s; list it there instead"))
        for code in catalog.codes:
            if any(v.code and fold(v.code) == fold(wire.code) for v in code.variants) and code.code not in wire.means:
                problems.append((f"wire code {wire.code}", f"field 'means' leaves out {code.code}, whose "
                                 f"variants give it {wire.code}"))
        if catalog.implementations:
            for message in catalog.implementations.messages:
                missing = [c for c in message.codes() if fold(message.wire) == fold(wire.code) and c not in wire.means]
                if missing:
                    problems.append((f"wire code {wire.code}", f"field 'means' leaves out {', '.join(missing)}, "
                                     f"which the backends' message {message.text!r} stands for"))
    shared: dict[str, set[str]] = {}
    for code in catalog.codes:
        for variant in code.variants:
            if variant.code:
                shared.setdefault(fold(variant.code), set()).add(code.code)
    for key, codes in shared.items():
        if len(codes) > 1 and key not in owners and key not in pages:
            problems.append(("wire_codes", f"the wire code {key!r} names {', '.join(sorted(codes))}: give it a "
                             "page in 'wire_codes'"))
    if catalog.implementations:
        for wire in sorted(catalog.implementations.wire_codes_in_use()):
            if fold(wire) not in owners and fold(wire) not in pages:
                problems.append(("wire_codes", f"the wire code {wire!r} is sent by an implementation but has "
                                 "no page: add it to 'wire_codes'"))
    return problems


def wire_page(catalog: Catalog, text: str) -> WireCode | None:
    return next((w for w in catalog.wire_codes if fold(w.code) == fold(text)), None)
