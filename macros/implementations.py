"""What the implementations do with an error today, as the pages and the search box see it:
the servers' messages (the OJS catalog's reference backends) and the client libraries.

The data (the catalog file's `implementations`, `wire_codes` and each code's `in_practice`)
is built into these objects by macros/catalog.py. Texts are the implementations' own format
strings with placeholders; this module is the one place that knows what a placeholder may
stand for, fills them for the pages, and turns them into patterns for the recogniser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Source

# What each placeholder may stand for, as a regular expression both Python and the
# browser read. Names a reader's text is narrowed by are captured; the rest are not.
PLACEHOLDERS = {
    "wire": r"[A-Za-z][A-Za-z0-9_]*",
    "status": r"[1-5][0-9]{2}",
    "state": r"[a-z_]+",
    "resource": r"[A-Z][A-Za-z ]*",
    "type": r"[^\s'\"]+",
    "id": r"[^\s'\"]+",
    "request_id": r"[^\s)]+",
    "error": r"[A-Za-z][A-Za-z0-9_:.$]*",
}
_ANY = r".+?"  # {message}, {cause}, {body}, {value}: any text
CAPTURED = ("wire", "status", "state", "resource")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# A text is recognised only if it says more than its placeholders: {message} alone says nothing.
MIN_LITERAL = 12


@dataclass(frozen=True)
class PracticeNote:
    note: str
    sources: tuple[Source, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class BackendMessage:
    wire: str
    status: int | None
    text: str
    when: str
    means: tuple[str, ...]
    narrowed_by: dict[str, dict[str, tuple[str, ...]]]
    source: Source

    def codes(self) -> tuple[str, ...]:
        """Every code this text may stand for, whatever its placeholders hold."""
        found = list(self.means)
        for values in self.narrowed_by.values():
            for codes in values.values():
                found += [c for c in codes if c not in found]
        return tuple(found)


@dataclass(frozen=True)
class SdkType:
    name: str
    wire: tuple[str, ...] | None
    status: tuple[int, ...] | None
    code: str | None  # the code the SDK puts on the error, where it replaces the server's
    replaces_code: bool
    catch: str
    source: Source
    message: str | None = None  # what the SDK prints in place of the server's message

    def matches(self, wire: str, status: int | None) -> bool:
        return ((self.wire is None or wire in self.wire)
                and (self.status is None or status in self.status))


@dataclass(frozen=True)
class Raised:
    """An error the SDK raises itself, or what its worker reports for a failed job."""
    means: tuple[str, ...]
    texts: tuple[str, ...]
    when: str
    sources: tuple[Source, ...]
    error: str | None = None
    sends: str | None = None


@dataclass(frozen=True)
class Unreadable:
    """What an error response becomes when its body is no OJS error object."""
    wire: str  # may hold <status>: http_<status>
    message: str
    source: Source
    error: str | None = None


@dataclass(frozen=True)
class GrpcMapping:
    status: str
    name: str
    source: Source


@dataclass(frozen=True)
class Sdk:
    id: str
    label: str
    types_are: str  # "classes" or "checks"
    constants: tuple[str, ...]  # how its code table names a code (macros/sdk.py); () without one
    constants_source: Source | None
    error: str
    shown_as: str  # how the language prints an error: {error} its class, {text} its message
    prints: str  # the message of an error from a server
    prints_source: Source
    catch: str
    types: tuple[SdkType, ...]
    unreadable: Unreadable | None  # None where the data does not say
    client: tuple[Raised, ...]
    worker: tuple[Raised, ...]
    grpc: tuple[GrpcMapping, ...] = ()
    shown_as_source: Source | None = None
    notes: tuple[PracticeNote, ...] = ()
    language_errors: tuple[str, ...] = ()  # the language's own classes: no form of any code
    logs: tuple[Raised, ...] = ()  # what it logs about an error
    wire_constants: tuple[str, ...] = ()  # its constants for wire codes: {Wire}, {WIRE}
    wire_constant_codes: tuple[str, ...] = ()  # the wire codes it has constants for
    wire_constants_source: Source | None = None

    def type_for(self, wire: str, status: int | None) -> SdkType | None:
        return next((t for t in self.types if t.matches(wire, status)), None)

    def shown(self, text: str, error: str | None = None) -> str:
        """A message as the language prints an error of this SDK carrying it."""
        return self.shown_as.replace("{error}", error or self.error).replace("{text}", text)


@dataclass(frozen=True)
class Backends:
    label: str
    about: str
    sources: tuple[Source, ...]
    statuses: dict[str, int]
    messages: tuple[BackendMessage, ...]
    grpc_text: str
    grpc_about: str
    grpc_source: Source
    grpc_statuses: dict[str, str] = field(default_factory=dict)  # wire code -> gRPC status
    called: str = "the servers"  # in running text: "the reference backends"


@dataclass(frozen=True)
class Implementations:
    backends: Backends | None  # None for a catalog that lists its clients only
    sdks: tuple[Sdk, ...]
    error_body: str = "readable error body"  # what a client's `unreadable` body is not: "OJS error object"

    # What the servers do, empty for a catalog without them.
    @property
    def messages(self) -> tuple[BackendMessage, ...]:
        return self.backends.messages if self.backends else ()

    @property
    def statuses(self) -> dict[str, int]:
        return self.backends.statuses if self.backends else {}

    @property
    def grpc_statuses(self) -> dict[str, str]:
        return self.backends.grpc_statuses if self.backends else {}

    def messages_meaning(self, code: str) -> list[BackendMessage]:
        return [m for m in self.messages if code in m.codes()]

    def raised_meaning(self, code: str) -> list[tuple[Sdk, str, Raised]]:
        """(sdk, "client", "worker" or "logs", entry) for every SDK entry that stands for this code."""
        return [(sdk, kind, entry) for sdk in self.sdks for kind in ("client", "worker", "logs")
                for entry in getattr(sdk, kind) if code in entry.means]

    def wire_codes_in_use(self) -> set[str]:
        """Every wire code an implementation sends, reports or puts on an error."""
        found = {m.wire for m in self.messages} | set(self.statuses)
        for sdk in self.sdks:
            if sdk.unreadable:
                found.add(sdk.unreadable.wire)
            found |= {t.code for t in sdk.types if t.code}
            found |= {e.sends for e in sdk.client + sdk.worker if e.sends}
        return found


@dataclass(frozen=True)
class WireCode:
    """A wire code with a page of its own: what it means and which codes it stands for."""
    code: str
    page: str  # its address under errors/
    about: str
    means: tuple[str, ...]
    sources: tuple[Source, ...]


def wire_constant(template: str, wire: str) -> str:
    """ojs.ErrCode{Wire} -> ojs.ErrCodeNotFound; CODE_{WIRE} -> CODE_NOT_FOUND for not_found."""
    camel = "".join(part.capitalize() for part in wire.split("_"))
    return template.replace("{Wire}", camel).replace("{WIRE}", wire.upper())


def placeholders(template: str) -> list[str]:
    return _PLACEHOLDER.findall(template)


def literal_length(template: str) -> int:
    return len(_PLACEHOLDER.sub("", template).strip())


def fill(template: str, values: dict[str, str]) -> str:
    """The text as an implementation prints it, with the values known and … for the rest."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), "…"), template)


def pattern(template: str) -> str:
    """A regular expression (Python and JavaScript alike) that finds the text in a line, and
    captures the placeholders a reader's text is narrowed by (the first of each name)."""
    parts, seen, position = [], set(), 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[position:match.start()]))
        name = match.group(1)
        body = PLACEHOLDERS.get(name, _ANY)
        if name in CAPTURED and name not in seen:
            seen.add(name)
            parts.append(f"(?P<{name}>{body})")
        else:
            parts.append(f"(?:{body})")
        position = match.end()
    parts.append(re.escape(template[position:]))
    return "".join(parts)


def javascript_pattern(template: str) -> str:
    """The same pattern in JavaScript's syntax for named groups and without Python's escapes
    of characters JavaScript's unicode mode refuses to see escaped."""
    return re.sub(r"\\([ '\"#&~<>!:=,-])", r"\1", pattern(template).replace("(?P<", "(?<"))
