"""The catalog as the pages see it: immutable objects built from a validated data file."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Source:
    """A document, and optionally one of its sections or, for a source file, its lines."""
    document: str
    section: str | None
    file_name: str  # ojs-retry.md
    heading: str | None  # "2.2 Field Semantics"
    url: str
    lines: str | None = None  # "81-86"
    path: str | None = None  # errors.go, for a source file
    commit: str | None = None  # the commit it was read at; None for a web page, which nothing pins
    repository: str | None = None  # the catalog's key of the repository it is a file of
    repository_path: str | None = None  # its path in that repository

    @property
    def label(self) -> str:
        if self.lines:
            return f"{self.file_name}, lines {self.lines}"
        return self.file_name + (f" §{self.section}" if self.section else "")

    @property
    def short_label(self) -> str:
        """errors.go:81-86 for a source file's lines; the label otherwise."""
        if self.lines and self.path:
            return f"{self.path.rsplit('/', 1)[-1]}:{self.lines}"
        return self.label


@dataclass(frozen=True)
class Variant:
    """What another specification document says of an error: another code, status or note."""
    source: Source
    code: str | None = None
    http_status: int | None = None
    grpc_status: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Category:
    slug: str
    name: str
    short_name: str
    digit: int | None = None  # where the code_format has a category part
    default_retryable: str | None = None  # "yes", "no" or "varies", where the catalog has retryability levels
    introduction: str | None = None
    retry_rule: str | None = None
    sources: tuple[Source, ...] = ()
    variants: tuple[Variant, ...] = ()
    range: str | None = None  # from the catalog's code_format: OJS-3xxx
    span: tuple[str, str] | None = None  # its first and last code, if declared: OJS-3000, OJS-3999
    nav_title: str | None = None  # a shorter label for the nav: "Server errors"

    @property
    def nav_label(self) -> str:
        return self.nav_title or self.name

    @property
    def title(self) -> str:
        """OJS-3xxx Job lifecycle errors; the name alone where the catalog writes no ranges."""
        return f"{self.range} {self.name}" if self.range else self.name


@dataclass(frozen=True)
class Example:
    message: str
    details: dict[str, Any] | None
    headers: dict[str, str]
    error_type: str | None


@dataclass(frozen=True)
class ErrorCode:
    code: str
    name: str
    category: Category
    http_status: int | None
    canonical_code: str | None
    canonical_absent: str | None  # a key of the catalog's canonical_absent_reasons: "client-side"
    description: str
    retryable: str | None  # a key of the catalog's retryability; None where the catalog has no levels
    added_in: str | None  # None where the catalog has no version
    resolution: str
    related: tuple[str, ...]
    example: Example | None
    deprecated_in: str | None = None
    replaced_by: str | None = None
    sources: tuple[Source, ...] = ()
    variants: tuple[Variant, ...] = ()
    # Where a reader meets it, as the loader has it from the declared sections: "http" (a
    # response with its http_status) unless a section knows better; None where nothing says.
    surfaces: str | None = None
    surfaces_note: str | None = None
    in_practice: tuple[Any, ...] = ()  # implementations.PracticeNote
    number: str | None = None  # the code_format's `number` part: 3001
    # What the fields the declared sections add to a code hold for it (their FIELDS), as the
    # data file gives them: {"grpc_status": "NOT_FOUND"}.
    fields: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def is_deprecated(self) -> bool:
        return self.deprecated_in is not None

    @property
    def alias(self) -> str | None:
        """The address beside the code's own that leads to its page: its canonical code, unless
        the catalog sends the code itself on the wire (then the page is already there)."""
        return self.canonical_code if self.canonical_code and self.canonical_code != self.code else None


@dataclass(frozen=True)
class RetryabilityLevel:
    label: str
    meaning: str


@dataclass(frozen=True)
class Catalog:
    title: str
    version: str | None
    status: str | None
    date: str | None
    specification_url: str | None
    code_format: Any  # code_format.CodeFormat
    sections: tuple[Any, ...]  # sections.Section: the code pages' optional sections it declares
    retryability: dict[str, RetryabilityLevel]
    categories: tuple[Category, ...]
    codes: tuple[ErrorCode, ...]  # in code order
    documents: dict[str, Source] = dataclasses.field(default_factory=dict)  # every citable source by its text
    implementations: Any = None  # implementations.Implementations
    wire_codes: tuple[Any, ...] = ()  # implementations.WireCode, in the data file's order
    description: str | None = None
    publisher: str = ""
    envelope: dict[str, Any] | None = None  # how the service sends an error: {"about", "body"}
    example_code: str | None = None  # the code shown as an example of what to type
    sources_are: str = "sources"  # what pages call their sources: "sections of the OJS specification"
    documents_are: str = "documents"  # what the sources page calls them: "OJS specification documents and SDK files"
    sources_title: str = "Sources"  # the sources page's title: "Specification sources"
    # What the pages call the documents a code's variants come from: "specification documents".
    variant_documents_are: str = "documents"
    # Who raises the codes, as a deprecated code's notice names them: "the SDKs and backends".
    raised_by: str | None = None
    feed_for: str = "readers"  # whom the changelog offers its feed: "SDK maintainers"
    wire_codes_intro: str | None = None  # the wire codes page's opening paragraph
    # Why a code may have no canonical wire code, as the pages say it: {"client-side": "None: raised …"}
    canonical_absent_reasons: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def example_forms(self) -> list[str]:
        """What a reader may type, shown as an example: a code, its canonical code, its name."""
        code = self.code(self.example_code) if self.example_code else self.codes[0]
        return list(dict.fromkeys([code.code] + ([code.alias] if code.alias else []) + [code.name]))

    def __post_init__(self) -> None:
        # Index once: pages look codes up by the thousand on large catalogs.
        object.__setattr__(self, "_position", {c.code: i for i, c in enumerate(self.codes)})
        by_status: dict[int | None, list[ErrorCode]] = {}
        for code in self.codes:
            by_status.setdefault(code.http_status, []).append(code)
        object.__setattr__(self, "_by_status", by_status)

    @property
    def has_aliases(self) -> bool:
        """Whether any code is sent on the wire under another code (its canonical code)."""
        return any(code.alias for code in self.codes)

    def source(self, text: str) -> Source:
        return self.documents[text]

    def code(self, code: str) -> ErrorCode:
        return self.codes[self._position[code]]

    def codes_with_status(self, status: int | None) -> list[ErrorCode]:
        return self._by_status.get(status, [])

    def codes_in(self, category: Category) -> tuple[ErrorCode, ...]:
        return tuple(c for c in self.codes if c.category is category)

    def neighbours(self, code: ErrorCode) -> tuple[ErrorCode | None, ErrorCode | None]:
        index = self._position[code.code]
        previous = self.codes[index - 1] if index > 0 else None
        following = self.codes[index + 1] if index + 1 < len(self.codes) else None
        return previous, following


def github_anchor(heading: str) -> str:
    """The fragment GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    kept = "".join(ch for ch in heading.lower() if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))
