"""What the search box and the 404 page recognise beyond a form: the implementations' texts.

From macros/implementations.py's data it derives, for the lookup file:
- texts: a backend's message or an SDK's own error text, as a pattern, with the targets it
  stands for, narrowed by a captured value (`Current state: 'cancelled'` is OJS-3003);
- lines: how each SDK and the backends' gRPC status print an error, up to its message, so
  that the wire code inside a printed line (`ojs: duplicate: …`) is found;
- wire_patterns: wire codes written with a status (`http_502`).
Targets are indexes into the lookup's codes, then its pages (macros/forms.py).
"""

from __future__ import annotations

import re

from .forms import fold, lookup, wire_meaning
from .implementations import (MIN_LITERAL, PLACEHOLDERS, Implementations, javascript_pattern, literal_length,
                              placeholders)
from .model import Catalog

# A printed line is read up to the first of these: what follows is the message, not its shape.
_TAIL = ("message", "body", "cause")


def recognition(catalog: Catalog) -> dict:
    implementations: Implementations | None = catalog.implementations
    if implementations is None:
        return {"texts": [], "lines": [], "wire_patterns": []}
    targets = _Targets(catalog)
    texts = []
    for message in implementations.messages:
        if literal_length(message.text) < MIN_LITERAL:
            continue
        entry = {"pattern": javascript_pattern(message.text),
                 "targets": targets.of(list(message.means) + [message.wire])}
        narrowing = {name: {value.lower(): targets.of(list(codes) + [message.wire]) for value, codes in values.items()}
                     for name, values in message.narrowed_by.items()}
        if narrowing:
            entry["by"] = narrowing
        texts.append(entry)
    for sdk in implementations.sdks:
        for entry in sdk.client + sdk.worker + sdk.logs:
            for text in entry.texts:
                if literal_length(text) >= MIN_LITERAL:
                    texts.append({"pattern": javascript_pattern(text),
                                  "targets": targets.of(list(entry.means) + ([entry.sends] if entry.sends else []))})
        if sdk.unreadable and literal_length(sdk.unreadable.message) >= MIN_LITERAL:
            texts.append({"pattern": javascript_pattern(sdk.unreadable.message),
                          "targets": targets.of([sdk.unreadable.wire])})
    lines = []
    grpc_text = [implementations.backends.grpc_text] if implementations.backends else []
    for template in [sdk.prints for sdk in implementations.sdks] + grpc_text:
        head = _head(template)
        if "{wire}" in head:
            lines.append(javascript_pattern(head))
    wire_patterns = []
    for position, wire in enumerate(catalog.wire_codes, start=len(catalog.codes)):
        if "<status>" in wire.code:
            literal = [re.escape(part) for part in wire.code.split("<status>")]
            wire_patterns.append({"pattern": "^" + f"(?<status>{PLACEHOLDERS['status']})".join(literal) + "$",
                                  "targets": [position]})
    # The more of a text is written out, the more it says: a reader's line is matched against
    # the most specific texts first (`… context deadline exceeded` before `ojs: request failed:`).
    texts.sort(key=lambda text: -_literal_of_pattern(text["pattern"]))
    return {"texts": texts, "lines": list(dict.fromkeys(lines)), "wire_patterns": wire_patterns}


def _literal_of_pattern(pattern: str) -> int:
    return len(re.sub(r"\(\?.*?\)", "", pattern))


def _head(template: str) -> str:
    """The template up to its first tail placeholder: the shape of the line, not its message."""
    for name in placeholders(template):
        if name in _TAIL:
            return template[:template.index("{" + name + "}")]
    return template


class _Targets:
    """Lookup targets for codes and wire codes: a wire code with a page leads to its page."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.index = {code.code: position for position, code in enumerate(catalog.codes)}
        self.pages = {fold(w.code): position for position, w in enumerate(catalog.wire_codes, start=len(catalog.codes))}
        self.forms = lookup(catalog)["forms"]

    def of(self, items: list[str]) -> list[int]:
        found: list[int] = []
        for item in items:
            if item in self.index:
                found.append(self.index[item])
            elif fold(item) in self.pages:
                found.append(self.pages[fold(item)])
            else:
                found += [self.index[c] for c in wire_meaning(self.catalog, item)]
        return list(dict.fromkeys(found))
