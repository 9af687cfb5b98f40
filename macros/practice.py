"""What a reader's SDK and the reference backends do with a code today, as a page shows it.

Pure functions from the model (macros/implementations.py) to plain values the templates
write out: for a code, how it arrives from a backend and what each SDK makes of that; for
a wire code, who sends it and which of its messages stands for which code.
"""

from __future__ import annotations

from dataclasses import dataclass

from .implementations import BackendMessage, Raised, Sdk, SdkType, WireCode, fill
from .model import Catalog, ErrorCode, Source
from .forms import wire_page
from . import sections
from .sdk import constant


@dataclass(frozen=True)
class Arrival:
    """How an error reaches a client: a wire code, a status and a message."""
    wire: str
    status: int | None
    message: str
    source: Source | None  # None: the catalog's own code and status, as the server sends them
    in_practice: bool  # sent by the reference backends (else only named by a document)
    page: str | None = None  # the wire code's own page, if it has one


@dataclass(frozen=True)
class SdkArrival:
    arrival: Arrival
    type: SdkType | None
    code: str | None  # the code on the SDK's error
    line: str  # as the SDK prints it
    catch: str
    grpc: str | None  # the SDK's type for it over gRPC, where that differs


@dataclass(frozen=True)
class SdkRaised:
    kind: str  # "client" or "worker"
    entry: Raised
    lines: tuple[str, ...]


@dataclass(frozen=True)
class SdkView:
    sdk: Sdk
    constant: str | None  # None for a client without a code table
    arrivals: tuple[SdkArrival, ...]
    raised: tuple[SdkRaised, ...]


def example_values(message: BackendMessage, code: str) -> dict[str, str]:
    """The placeholder values under which a backend's message stands for this code first."""
    for name, values in message.narrowed_by.items():
        for value, codes in values.items():
            if codes and codes[0] == code:
                return {name: value}
    return {}


def arrivals(catalog: Catalog, code: ErrorCode, sent_as_cataloged: bool = False) -> list[Arrival]:
    """How the code reaches a client: the servers' messages that stand for it (one for each
    wire code and status), or else the wire code of a document's that a declared section
    says servers send, or else (`sent_as_cataloged`: the server sends what the catalog says)
    its canonical code and status."""
    found: dict[tuple[str, int | None], Arrival] = {}
    implementations = catalog.implementations
    if implementations:
        for message in implementations.messages_meaning(code.code):
            key = (message.wire, message.status)
            if key not in found:
                text = fill(message.text, example_values(message, code.code))
                found[key] = Arrival(message.wire, message.status, text, message.source, True, _page(catalog, message.wire))
    if not found and code.surfaces == "http" and (variant := sections.sent_variant(catalog, code)) is not None:
        message = code.example.message if code.example else code.description
        status = variant.http_status or code.http_status
        found[(variant.code, status)] = Arrival(variant.code, status, message, variant.source, False,
                                                _page(catalog, variant.code))
    if not found and sent_as_cataloged and code.surfaces == "http" and code.canonical_code:
        message = code.example.message if code.example else code.description
        found[(code.canonical_code, code.http_status)] = Arrival(code.canonical_code, code.http_status, message, None,
                                                                 False, _page(catalog, code.canonical_code))
    return list(found.values())


def _page(catalog: Catalog, wire: str) -> str | None:
    page = wire_page(catalog, wire)
    return page.page if page else None


def sdk_views(catalog: Catalog, code: ErrorCode, sent_as_cataloged: bool = False) -> list[SdkView]:
    implementations = catalog.implementations
    if implementations is None:
        return []
    code_arrivals = arrivals(catalog, code, sent_as_cataloged)
    views = []
    for sdk in implementations.sdks:
        seen = []
        for arrival in code_arrivals:
            view = _arrive(sdk, arrival, implementations.grpc_statuses)
            if (view.line, view.catch) not in [(v.line, v.catch) for v in seen]:
                seen.append(view)
        raised = [SdkRaised(kind, entry, tuple(_raised_line(sdk, kind, entry, text) for text in entry.texts))
                  for s, kind, entry in implementations.raised_meaning(code.code) if s is sdk]
        views.append(SdkView(sdk, constant(sdk.constants[0], code) if sdk.constants else None, tuple(seen),
                             tuple(raised)))
    return views


def _arrive(sdk: Sdk, arrival: Arrival, grpc_statuses: dict[str, str]) -> SdkArrival:
    sdk_type = sdk.type_for(arrival.wire, arrival.status)
    code = sdk_type.code if sdk_type and sdk_type.replaces_code else arrival.wire
    status = str(arrival.status) if arrival.status else "…"
    message = fill(sdk_type.message, {"status": status}) if sdk_type and sdk_type.message else arrival.message
    text = fill(sdk.prints, {"wire": code or "", "message": message, "status": status})
    error = sdk_type.name if sdk_type and sdk.types_are == "classes" else None
    catch = sdk_type.catch if sdk_type else sdk.catch.replace("{wire}", code or "")
    grpc = None
    status_over_grpc = grpc_statuses.get(arrival.wire)
    for mapping in sdk.grpc:
        if mapping.status == status_over_grpc and (sdk_type is None or mapping.name != sdk_type.name):
            grpc = mapping.name
    return SdkArrival(arrival, sdk_type, code, sdk.shown(text, error), catch, grpc)


def _raised_line(sdk: Sdk, kind: str, entry: Raised, text: str) -> str:
    if kind != "client":
        return fill(text, {})  # what the worker reports, or logs: nothing is raised in the reader's code
    return sdk.shown(fill(text, {}), entry.error)


@dataclass(frozen=True)
class WireView:
    wire: WireCode
    codes: tuple[ErrorCode, ...]
    messages: tuple[tuple[BackendMessage, tuple[ErrorCode, ...]], ...]  # the backends' texts, and their codes
    status: int | None  # the backends' status for it
    sdks: tuple[tuple[Sdk, str, Source], ...]  # (sdk, what it does with the wire code, where)
    documents: tuple[ErrorCode, ...]  # codes whose variants give it


def wire_view(catalog: Catalog, wire: WireCode) -> WireView:
    implementations = catalog.implementations
    messages: list[tuple[BackendMessage, tuple[ErrorCode, ...]]] = []
    sdks: list[tuple[Sdk, str, Source]] = []
    status = None
    if implementations:
        status = implementations.statuses.get(wire.code)
        for message in implementations.messages:
            if message.wire == wire.code:
                messages.append((message, tuple(catalog.code(c) for c in message.codes())))
        for sdk in implementations.sdks:
            for sdk_type in sdk.types:
                if sdk_type.wire and wire.code in sdk_type.wire or sdk_type.code == wire.code:
                    how = (f"raised as {sdk_type.name}" if sdk.types_are == "classes"
                           else f"matched by {sdk_type.catch}")
                    sdks.append((sdk, how, sdk_type.source))
            if sdk.unreadable and sdk.unreadable.wire == wire.code:
                body = implementations.error_body
                sdks.append((sdk, f"the code it puts on an error response whose body is no {body}",
                             sdk.unreadable.source))
            for entry in sdk.client + sdk.worker:
                if entry.sends == wire.code:
                    who = "what its worker reports" if entry in sdk.worker else "the code of its own error"
                    sdks.append((sdk, f"{who} when {entry.when}", entry.sources[0]))
    documents = tuple(c for c in catalog.codes if any(v.code == wire.code for v in c.variants))
    return WireView(wire, tuple(catalog.code(c) for c in wire.means), tuple(messages), status, tuple(sdks), documents)


def sources_on(catalog: Catalog, code: ErrorCode, sent_as_cataloged: bool = False) -> tuple[Source, ...]:
    """The sources a code page cites beyond its own list: its notes and its SDK tabs."""
    found: list[Source] = [s for note in code.in_practice for s in note.sources]
    for view in sdk_views(catalog, code, sent_as_cataloged):
        found += [view.sdk.constants_source] if view.sdk.constants_source else []
        found += [s for note in view.sdk.notes for s in note.sources]
        for item in view.arrivals:
            found += [item.arrival.source] if item.arrival.source else []
            found.append(item.type.source if item.type else view.sdk.prints_source)
        for item in view.raised:
            found += list(item.entry.sources)
    return tuple(dict.fromkeys(found))


def sources_on_wire_page(catalog: Catalog, wire: WireCode) -> tuple[Source, ...]:
    view = wire_view(catalog, wire)
    found = list(wire.sources) + [m.source for m, _ in view.messages] + [s for _, _, s in view.sdks]
    return tuple(dict.fromkeys(found))
