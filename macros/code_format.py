"""What a code of a catalog looks like: declared by the catalog itself (`code_format` in its
data file), and read from here by the loader, the pages, the published JSON Schema and, through
the lookup file, the search box and the 404 page.

The declaration is a regular expression in the syntax Python and JavaScript share, with two
optional named parts: `number`, what a reader may type alone (3001 of OJS-3001), and
`category`, which names the code's category by its `digit`. A range template such as
`OJS-{category}xxx` says how a category's codes are written together. Other forms a reader
may hold are templates over a code's values: `OJS_{canonical_code}`, the gRPC reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

PARTS = ("category", "number")
# The values of a code (its attributes) another form may be built from, each with the field of
# the data file it comes from (for errors that name the field).
FORM_VALUES = {"code": "code", "number": "code", "name": "name", "canonical_code": "canonical_code"}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_GROUP = re.compile(r"\(\?P<([A-Za-z_][A-Za-z0-9_]*)>")


class CodeFormatError(ValueError):
    """A declaration the engine cannot use, with the field it is in."""

    def __init__(self, field: str, problem: str):
        super().__init__(problem)
        self.field, self.problem = field, problem


def _tokens(pattern: str):
    """(text, inside a character class) for each character or escape of the pattern."""
    in_class, index = False, 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            yield pattern[index:index + 2], in_class
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            yield char, True
            in_class = False
            index += 1
            continue
        yield char, in_class
        index += 1


def _escape(text: str) -> str:
    """re.escape for both syntaxes: JavaScript's unicode mode refuses needless escapes (\\-)."""
    return re.sub(r"([\\^$.|?*+()\[\]{}])", r"\\\1", text)


def _compile(field: str, pattern: str) -> re.Pattern[str]:
    """The expression, if it holds only what Python and JavaScript read alike and no anchor
    (the engine matches whole values itself)."""
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise CodeFormatError(field, f"is not a regular expression ({error})") from None
    text = "".join(token for token, _ in _tokens(pattern))
    outside = [token for token, in_class in _tokens(pattern) if not in_class]
    if any(token in ("^", "$") for token in outside) or any(t in ("\\A", "\\Z", "\\z", "\\b", "\\B") for t in outside):
        raise CodeFormatError(field, "holds an anchor (^, $, \\A, \\Z, \\b): the engine matches whole values itself")
    if re.search(r"\\[1-9]|\(\?(?!:|P<)", text):
        raise CodeFormatError(field, "holds a back-reference, a look-around or an inline flag: "
                              "use groups (...), (?:...) and the named parts (?P<category>...), (?P<number>...)")
    return compiled


@dataclass(frozen=True)
class OtherForm:
    """Another form a reader may hold of a code, built from its values."""
    template: str  # OJS_{canonical_code}
    kind: str  # what it is, for readers and for errors: gRPC reason

    @property
    def values(self) -> list[str]:
        return _PLACEHOLDER.findall(self.template)

    @property
    def field(self) -> str:
        """The field of the data file the form comes from: the first value's."""
        return FORM_VALUES[self.values[0]]

    def of(self, values: dict[str, str | None]) -> str | None:
        """The form of a code with these values; None if it lacks one the form needs."""
        if any(values.get(name) is None for name in self.values):
            return None
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], self.template)


@dataclass(frozen=True)
class CodeFormat:
    pattern: str  # Python syntax, not anchored: OJS-(?P<number>(?P<category>[1-9])[0-9]{3})
    range: str | None = None  # OJS-{category}xxx
    name: str | None = None  # how names are written, no parts: [A-Z][A-Za-z0-9]* (any name if None)
    form: str | None = None  # the form in words, for readers: "OJS-XNNN, where X is the category"
    range_first: str | None = None  # a category's first code: OJS-{category}000
    range_last: str | None = None  # and its last: OJS-{category}999
    forms: tuple[OtherForm, ...] = ()  # other forms a reader may hold: OJS_{canonical_code}

    @classmethod
    def declared(cls, declared: dict) -> CodeFormat:
        """From a catalog's `code_format`; values of the wrong type are left for the schema to report."""
        fields = ("pattern", "range", "name", "form", "range_first", "range_last")
        forms = declared.get("forms") if isinstance(declared.get("forms"), list) else []
        return cls(*(declared.get(f) if isinstance(declared.get(f), str) else None for f in fields),
                   forms=tuple(OtherForm(f["form"], f["kind"]) for f in forms if isinstance(f, dict)
                               and isinstance(f.get("form"), str) and isinstance(f.get("kind"), str)))

    def __post_init__(self) -> None:
        compiled = _compile("pattern", self.pattern)
        unknown = sorted(set(compiled.groupindex) - set(PARTS))
        if unknown:
            raise CodeFormatError("pattern", f"names the part {unknown[0]!r}: the parts a code may have are "
                                  + " and ".join(PARTS))
        if self.name is not None and _compile("name", self.name).groupindex:
            raise CodeFormatError("name", "names a part: a name has none")
        for field in ("range", "range_first", "range_last"):
            template = getattr(self, field)
            if template is None:
                continue
            if "category" not in compiled.groupindex:
                raise CodeFormatError(field, "needs the part (?P<category>...) in the pattern")
            if template.count("{category}") != 1 or re.search(r"[{}]", template.replace("{category}", "")):
                raise CodeFormatError(field, "must hold {category} once and no other braces")
        for index, other in enumerate(self.forms):
            field = f"forms.{index}.form"
            unknown = [name for name in other.values if name not in FORM_VALUES]
            if not other.values or unknown or re.search(r"[{}]", _PLACEHOLDER.sub("", other.template)):
                raise CodeFormatError(field, "must hold one or more of " + ", ".join(f"{{{v}}}" for v in FORM_VALUES)
                                      + " and no other braces")
            if "number" in other.values and "number" not in compiled.groupindex:
                raise CodeFormatError(field, "uses {number}, which needs the part (?P<number>...) in the pattern")

    @property
    def part_names(self) -> frozenset[str]:
        return frozenset(self.regex.groupindex)

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern)

    def is_name(self, name: str) -> bool:
        return self.name is None or re.fullmatch(self.name, name) is not None

    def parts(self, code: str) -> dict[str, str] | None:
        """The named parts of a code, or None if it is not written as the catalog declares."""
        match = self.regex.fullmatch(code)
        return None if match is None else {k: v for k, v in match.groupdict().items() if v is not None}

    def other_forms(self, code: Any) -> list[tuple[str, OtherForm]]:
        """(form, its declaration) for each other form the code (a model.ErrorCode) has."""
        values = {name: getattr(code, name) for name in FORM_VALUES}
        return [(text, other) for other in self.forms if (text := other.of(values)) is not None]

    def number(self, code: str) -> str | None:
        return (self.parts(code) or {}).get("number")

    def category(self, code: str) -> str | None:
        return (self.parts(code) or {}).get("category")

    def span_of(self, category: int | str | None) -> tuple[str, str] | None:
        """A category's first and last code (OJS-3000, OJS-3999), where the catalog declares them."""
        if self.range_first is None or self.range_last is None or category is None:
            return None
        return (self.range_first.replace("{category}", str(category)),
                self.range_last.replace("{category}", str(category)))

    def range_of(self, category: int | str | None) -> str | None:
        if self.range is None or category is None:
            return None
        return self.range.replace("{category}", str(category))

    # For the browser and for JSON Schema: the same expression in their syntax.

    @property
    def javascript(self) -> str:
        """The pattern in JavaScript's syntax, named parts kept: (?<number>…)."""
        return _GROUP.sub(r"(?<\1>", self.pattern)

    @property
    def number_javascript(self) -> str | None:
        """The `number` part alone, in JavaScript's syntax, its own parts kept (3001)."""
        if "number" not in self.regex.groupindex:
            return None
        return _GROUP.sub(r"(?<\1>", f"(?P<number>{self._part('number')})")

    @property
    def in_text(self) -> str:
        """JavaScript, case-insensitive use: a code within a longer text, written with a hyphen,
        an underscore, a space or nothing where the declaration has a hyphen or an underscore
        (OJS-3001, ojs_3001, OJS 3001, OJS3001)."""
        loose = "".join("[-_ ]?" if token in ("-", "_", "\\-", "\\_") and not in_class else token
                        for token, in_class in _tokens(self.javascript))
        return rf"\b(?:{loose})\b"

    @property
    def schema_pattern(self) -> str:
        """For a JSON Schema `pattern`: anchored, the parts as plain groups, which every
        implementation of ECMA-262 regular expressions reads (Python's jsonschema too, whose
        $ would also match before a final line break: (?!\\n) refuses it)."""
        return f"^(?:{_GROUP.sub('(', self.pattern)})(?!\\n)$"

    @property
    def name_schema_pattern(self) -> str | None:
        return None if self.name is None else f"^(?:{self.name})(?!\\n)$"

    @property
    def range_schema_pattern(self) -> str | None:
        if self.range is None:
            return None
        before, after = self.range.split("{category}")
        return f"^{_escape(before)}(?:{_GROUP.sub('(', self._part('category'))}){_escape(after)}(?!\\n)$"

    def _part(self, name: str) -> str:
        """The expression inside the named part, as written."""
        start = self.pattern.index(f"(?P<{name}>") + len(f"(?P<{name}>")
        depth = 1
        tokens = list(_tokens(self.pattern[start:]))
        consumed = 0
        for token, in_class in tokens:
            if not in_class and token == "(":
                depth += 1
            elif not in_class and token == ")":
                depth -= 1
                if depth == 0:
                    break
            consumed += len(token)
        return self.pattern[start:start + consumed]
