"""Pure functions from the catalog model to page Markdown, through the Jinja templates beside this file.

Every catalog value that reaches a template is escaped for HTML (and for Markdown link and
table syntax) unless a function here marked it safe, so catalog text can never become markup.
"""

from __future__ import annotations

import dataclasses
import html
import json
import xml.etree.ElementTree as ET
import re
from pathlib import Path
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from .layout import check_site_url
from .model import Catalog, Category, ErrorCode, Source, Variant, version_key
from . import forms, practice, sections, text
from .statuses import GRPC_STATUS_NUMBERS, OLDER_PHRASES, http_status_text
from .recognition import recognition

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _environment(*, autoescape: bool, finalize) -> jinja2.Environment:
    return jinja2.Environment(
        # The declared sections' templates are beside their modules, wherever the catalog keeps them.
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(TEMPLATES), sections.TemplateLoader()]),
        autoescape=autoescape,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


# Every value a template writes goes through the text module: catalog text can never
# become Markdown, HTML or template syntax (see macros/text.py).
_env = _environment(autoescape=True, finalize=text.markdown_inline)
# For the Markdown and text files published for tools, read as text more than rendered.
_text_env = _environment(autoescape=False, finalize=text.markdown_source)


def doc_url(errors_url: str, code: ErrorCode) -> str:
    return f"{_root(errors_url)}{code.code}"


# The values a catalog's envelope may stand for (macros/schemas/catalog.schema.json, `envelope`).
ENVELOPE_PLACEHOLDERS = ("{code}", "{name}", "{http_status}", "{message}")


def envelope_block(catalog: Catalog, code: ErrorCode) -> Markup | None:
    """The error as the catalog's envelope sends it: the declared body, a value that is exactly
    one of the placeholders replaced by the code's (a whole value, never part of a text)."""
    if catalog.envelope is None:
        return None
    values = dict(zip(ENVELOPE_PLACEHOLDERS, (code.canonical_code or code.code, code.name, code.http_status,
                                               code.example.message if code.example else code.description)))

    def filled(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: filled(item) for key, item in value.items()}
        if isinstance(value, list):
            return [filled(item) for item in value]
        return values.get(value, value) if isinstance(value, str) else value

    return text.fenced_body(json.dumps(filled(catalog.envelope["body"]), indent=2, ensure_ascii=False), "json")


# The key every generated page's front matter carries, so the plugin can tell that MkDocs read it.
GENERATED_MARK = "ojs_generated"


# A page's data announced in its head (<link rel="alternate">, overrides/main.html): the
# catalog's file, relative to the catalog's folder, and its media type.
ALTERNATE_KEY = "ojs_alternate"


def _front_matter(title: str, description: str, search_terms: list[str] | None = None,
                  alternate: tuple[str, str, str] | None = None) -> str:
    meta: dict[str, Any] = {
        "title": title,
        # Material writes the description into an attribute without escaping it.
        "description": html.escape(text.plain(description)),
        GENERATED_MARK: True,
    }
    if alternate:
        path, media_type, label = alternate
        meta[ALTERNATE_KEY] = {"path": path, "type": media_type, "title": label}
    if search_terms:
        # Material's search ranks a page's tags above its title and text.
        meta["tags"] = search_terms
    # JSON is YAML, and json.dumps is far faster than yaml.safe_dump over thousands of pages.
    # Every character outside printable ASCII becomes a YAML escape (\u, or \U beyond the
    # Basic Multilingual Plane: JSON's surrogate pairs are not YAML), so no text can
    # break the front matter.
    return "---\n" + _NOT_PRINTABLE_ASCII.sub(_yaml_escape, json.dumps(meta, ensure_ascii=False)) + "\n---\n\n"


_NOT_PRINTABLE_ASCII = re.compile(r"[^\x20-\x7e]")


def _yaml_escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\U{code:08x}" if code > 0xFFFF else f"\\u{code:04x}"


def source_anchor(source: Source) -> str:
    """The id of a source's entry on the sources page: ojs-errors-5-1, go-errors-l81-86."""
    if source.lines:
        return f"{source.document}-l{source.lines}"
    return source.document + (f"-{source.section.replace('.', '-')}" if source.section else "")


def cite(source: Source) -> Markup:
    """An inline citation: a short link to the source's entry on the sources page, which
    links on to the document. The page's own list of sources links the documents directly."""
    return Markup(f"[{text.markdown_inline(source.label)}](sources.md#{source_anchor(source)})")


def link(source: Source) -> Markup:
    """A short link to a source: a source file's lines (errors.go:81-86), or a section."""
    return Markup(f"[{text.markdown_inline(source.short_label)}]({source.url})")


def source_link(source: Source, heading: bool = False) -> Markup:
    """A Markdown link to a cited document section, with the section's title if asked."""
    label = source.label
    if heading and source.heading:
        label += " " + re.sub(r"^[0-9.]+\s+", "", source.heading)
    return Markup(f"[{text.markdown_inline(label)}]({source.url})")


def variant_summary(variant: Variant) -> Markup:
    """One line for what another document says of a code: its wire code, statuses, note."""
    parts = []
    if variant.code:
        parts.append(f"code `{variant.code}`")
    if variant.http_status:
        parts.append(f"HTTP {http_status_text(variant.http_status)}")
    if variant.grpc_status:
        parts.append(f"gRPC status `{variant.grpc_status}` ({GRPC_STATUS_NUMBERS[variant.grpc_status]})")
    summary = text.markdown_inline(", ".join(parts))
    if variant.note:
        summary = Markup(f"{summary}, {text.markdown_inline(variant.note)}" if parts
                         else text.markdown_inline(variant.note[:1].upper() + variant.note[1:]))
    return summary


def status_fact(catalog: Catalog, code: ErrorCode) -> tuple[str, str | None]:
    """The code's HTTP status as a fact: (what to say, and the caveat that follows it, if any),
    on the code's page and in catalog.md. A declared section may know where it surfaces instead."""
    if code.http_status is None:
        return "None:", "not an HTTP response"
    return sections.status_fact(catalog, code) or (http_status_text(code.http_status), None)


def code_page(catalog: Catalog, code: ErrorCode, errors_url: str) -> str:
    previous, following = catalog.neighbours(code)
    category = code.category
    status_lead, status_caveat = status_fact(catalog, code)
    body = _env.get_template("code_page.md.j2").render(
        code=code,
        category=category,
        level=catalog.retryability[code.retryable] if code.retryable else None,
        category_default=_default_label(catalog, category),
        absent_reason=catalog.canonical_absent_reasons.get(code.canonical_absent or ""),
        http_status=http_status_text(code.http_status) if code.http_status else None,
        cite_source=cite,
        status_lead=status_lead,
        status_caveat=status_caveat,
        variants=[{"source": v.source, "summary": variant_summary(v)} for v in code.variants],
        cite=lambda text: cite(catalog.source(text)),
        source_link=source_link,
        sources_are=catalog.sources_are,
        variant_documents_are=catalog.variant_documents_are,
        raised_by=catalog.raised_by,
        envelope={"about": catalog.envelope.get("about", ""), "example": envelope_block(catalog, code)}
        if catalog.envelope else None,
        link=link,
        code_span=text.code_span,
        fenced=text.fenced,
        related=[catalog.code(c) for c in code.related],
        replacement=catalog.code(code.replaced_by) if code.replaced_by else None,
        previous=previous,
        following=following,
        places=sections.places(catalog.sections),
        **sections.values(catalog, code, doc_url(errors_url, code)),
    )
    return _front_matter(f"{code.code} {code.name}", f"{code.code} {code.name}: {code.description}",
                         search_terms(catalog, code), ("catalog.json", "application/json", "The whole catalog as JSON")) + body


def search_terms(catalog: Catalog, code: ErrorCode) -> list[str]:
    """The forms of the code from its own values (OJS-3001, 3001, DuplicateJob, DUPLICATE_JOB),
    which the search index is told the page is about."""
    return [form.text for form in forms.forms(catalog, code) if form.kind in forms.OWN_KINDS]


def overview_page(catalog: Catalog) -> str:
    """The overview of a catalog that has no hand-written one: its description, the form of its
    codes, its error response, its categories and every code."""
    envelope = None
    if catalog.envelope is not None:
        body = json.dumps(catalog.envelope["body"], indent=2, ensure_ascii=False)
        envelope = {"about": catalog.envelope.get("about"), "body": text.fenced_body(body, "json"),
                    "placeholders": [p for p in ENVELOPE_PLACEHOLDERS if json.dumps(p) in body]}
    body = _env.get_template("overview_page.md.j2").render(
        catalog=catalog, envelope=envelope, code_span=text.code_span,
        categories=categories_table(catalog), codes=codes_table(catalog, catalog.codes, with_category=True))
    return _front_matter("Overview", catalog.description or f"Every code of the {catalog.title}.") + body


def category_page(catalog: Catalog, category: Category, mapping_page: str | None = None) -> str:
    """`mapping_page`: the catalog's hand-written page of codes and wire codes, if it has one."""
    codes = catalog.codes_in(category)
    body = _env.get_template("category_page.md.j2").render(
        category=category, mapping_page=mapping_page, sources_are=catalog.sources_are,
        variant_documents_are=catalog.variant_documents_are,
        variants=[{"source": v.source, "summary": variant_summary(v)} for v in category.variants],
        source_link=source_link,
        default_label=_default_label(catalog, category),
        count=len(codes),
        table=codes_table(catalog, codes, describe=True),
    )
    description = (f"{category.title} of the {catalog.title}: "
                   f"{len(codes)} codes." + (f" {category.introduction}" if category.introduction else ""))
    return _front_matter(category.title, description) + body


def wire_page(catalog: Catalog, wire, mapping_page: str | None = None) -> str:
    """`mapping_page`: the catalog's hand-written page of codes and wire codes, if it has one."""
    view = practice.wire_view(catalog, wire)
    by_status = []
    if "<status>" in wire.code:
        statuses = sorted({c.http_status for c in catalog.codes if c.http_status and c.surfaces == "http"})
        by_status = [(http_status_text(s), [c for c in catalog.codes_with_status(s) if c.surfaces == "http"])
                     for s in statuses]
    called = _backends_called(catalog)
    body = _env.get_template("wire_page.md.j2").render(
        wire=wire, catalog=catalog, codes=view.codes, messages=view.messages, status=view.status,
        sdks=view.sdks, documents=view.documents, by_status=by_status, mapping_page=mapping_page,
        link=link, source_link=source_link, code_span=text.code_span,
        backends_called=called, backends_called_first=called[:1].upper() + called[1:],
        # As the declared section calls a client library on the code pages ("SDK" for OJS).
        client_word=sections.client_word(catalog),
    )
    return _front_matter(f"{wire.code}: a wire code", f"The wire code {wire.code}: {wire.about}", [wire.code]) + body


def _backends_called(catalog: Catalog) -> str:
    """The implementations' servers in running text, where the catalog lists any."""
    implementations = catalog.implementations
    return implementations.backends.called if implementations and implementations.backends else ""


def wire_codes_page(catalog: Catalog) -> str:
    views = []
    for wire in catalog.wire_codes:
        view = practice.wire_view(catalog, wire)
        views.append({"wire": wire, "codes": view.codes, "messages": view.messages, "sdks": view.sdks,
                      "sdk_labels": list(dict.fromkeys(sdk.label for sdk, _, _ in view.sdks))})
    body = _env.get_template("wire_codes_page.md.j2").render(
        views=views, code_span=text.code_span, intro=catalog.wire_codes_intro,
        senders=catalog.implementations is not None, variant_documents_are=catalog.variant_documents_are,
        backends_called=_backends_called(catalog))
    return _front_matter("Wire codes", "The codes errors carry on the wire that are not codes of the catalog, "
                         "and the codes of the catalog each stands for.") + body


def codes_table(catalog: Catalog, codes: tuple[ErrorCode, ...], *, describe: bool = False,
                with_category: bool = False, base: str = "") -> Markup:
    return Markup(_env.get_template("codes_table.md.j2").render(
        codes=codes, describe=describe, with_category=with_category, base=base, catalog=catalog,
        status=lambda c: str(c.http_status) if c.http_status else "—",
    ))


def categories_table(catalog: Catalog, *, base: str = "") -> Markup:
    return Markup(_env.get_template("categories_table.md.j2").render(
        base=base, levels=bool(catalog.retryability), ranges=any(c.range for c in catalog.categories),
        rows=[(c, _default_label(catalog, c), len(catalog.codes_in(c))) for c in catalog.categories],
    ))


def mapping_table(catalog: Catalog, *, base: str = "", code_heading: str = "Code") -> Markup:
    """Each code beside its canonical code; `code_heading` names the first column ("OJS code")."""
    return Markup(_env.get_template("mapping_table.md.j2").render(catalog=catalog, base=base,
                                                                  code_heading=code_heading))


def sources_page(catalog: Catalog) -> str:
    """Every document and section, and every source file and its lines, that the site cites,
    with the pages that cite each."""
    citing: dict[str, list[str]] = {}

    def cited(sources, link: str) -> None:
        for source in sources:
            pages = citing.setdefault(source_anchor(source), [])
            if link not in pages:
                pages.append(link)

    for category in catalog.categories:
        cited(category.sources + tuple(v.source for v in category.variants), f"[{category.name}]({category.slug}.md)")
    as_cataloged = sections.sent_as_cataloged(catalog)
    for code in catalog.codes:
        cited(code.sources + tuple(v.source for v in code.variants) + practice.sources_on(catalog, code, as_cataloged),
              f"[{code.code}]({code.code}.md)")
    for wire in catalog.wire_codes:
        cited(practice.sources_on_wire_page(catalog, wire), f"[{wire.code}]({wire.page}.md)")
    documents: dict[str, dict[str, Any]] = {}
    files: dict[str, dict[str, Any]] = {}
    has_sections = {s.document for s in catalog.documents.values() if s.section}
    for source in catalog.documents.values():
        # Addresses built from validated parts (repository URL, commit, path, heading anchor).
        entry = {"source": source, "url": Markup(source.url), "anchor": source_anchor(source),
                 "pages": [Markup(p) for p in citing.get(source_anchor(source), [])],
                 "title": re.sub(r"^[0-9.]+\s+", "", source.heading or "")}
        if source.document in has_sections or source.commit is None:
            # A document with sections, or a web page: listed with its sections, if any.
            document = documents.setdefault(source.document, {
                "file_name": source.file_name, "url": Markup(source.url.split("#")[0]), "sections": [],
                "pinned": source.commit is not None, "pages": []})
            if source.section:
                document["sections"].append(entry)
            elif source.commit is None:
                document["pages"] = entry["pages"]
        else:
            file = files.setdefault(source.document, {"file_name": source.file_name, "anchor": source.document,
                                                      "url": Markup(source.url.split("#")[0]), "pages": [], "lines": []})
            if source.lines:
                file["lines"].append(entry)
            else:
                file["pages"] = entry["pages"]
    for file in files.values():
        file["lines"].sort(key=lambda e: [int(n) for n in e["source"].lines.split("-")])
    body = _env.get_template("sources_page.md.j2").render(
        title=catalog.sources_title,
        documents_are=catalog.documents_are,
        files_intro=sections.files_intro(catalog.sections),
        pinned=all(source.commit is not None for source in catalog.documents.values()),
        documents=[d for d in documents.values() if d["sections"] or d["pages"]],
        files=[f for f in files.values() if f["pages"] or f["lines"]])
    return _front_matter(catalog.sources_title,
                         f"The {catalog.documents_are} each page of the error catalog rests on.") + body


def changelog_page(catalog: Catalog) -> str:
    versions = sorted({c.added_in for c in catalog.codes} | {c.deprecated_in for c in catalog.codes if c.deprecated_in},
                      key=version_key, reverse=True)
    body = _env.get_template("changelog_page.md.j2").render(
        title=catalog.title, feed_for=catalog.feed_for,
        versions=[(v, [c for c in catalog.codes if c.added_in == v],
                   [c for c in catalog.codes if c.deprecated_in == v]) for v in versions],
        replacements={c.code: catalog.code(c.replaced_by) for c in catalog.codes if c.replaced_by},
    )
    return _front_matter("Changelog", f"Error codes added and deprecated in each version of the {catalog.title}.",
                         alternate=("changelog.xml", "application/atom+xml", "Codes added and deprecated")) + body


PUBLISHED_SCHEMA = Path(__file__).resolve().parent / "schemas" / "catalog-json.schema.json"


# What catalog.json holds only where the catalog declares it: each declaration, and the fields
# it brings to the catalog, its categories and its codes. Without the declaration the fields
# are absent from catalog.json and from its published schema (the loader refuses them in the
# data: macros/catalog.py, _check_declared), so the file claims nothing the catalog does not.
_PUBLISHED_WITH: tuple[tuple[Callable[[Catalog], bool], dict[str, tuple[str, ...]]], ...] = (
    (lambda c: bool(c.retryability),
     {"catalog": ("retryability",), "category": ("default_retryable", "retry_rule"), "code": ("retryable",)}),
    (lambda c: c.version is not None, {"catalog": ("version",), "code": ("added_in", "deprecated_in", "replaced_by")}),
    (lambda c: c.status is not None, {"catalog": ("status",)}),
    (lambda c: c.date is not None, {"catalog": ("date",)}),
    (lambda c: c.specification_url is not None, {"catalog": ("specification_url",)}),
    (lambda c: c.description is not None, {"catalog": ("description",)}),
    (lambda c: any(category.digit is not None for category in c.categories), {"category": ("digit",)}),
    (lambda c: c.code_format.range is not None, {"category": ("range",)}),
    (lambda c: bool(c.wire_codes), {"catalog": ("wire_codes",)}),
    (lambda c: c.implementations is not None, {"catalog": ("implementations",)}),
    (lambda c: c.envelope is not None, {"catalog": ("envelope",)}),
    (lambda c: bool(c.canonical_absent_reasons), {"code": ("canonical_absent",)}),
    # The fields of a code that only a declared page section shows (where it surfaces, …).
    *((lambda c, field=field: any(field in section.code_fields for section in c.sections), {"code": (field,)})
      for field in sections.CODE_FIELDS),
)


def _undeclared_fields(catalog: Catalog) -> dict[str, set[str]]:
    """The fields of catalog.json this catalog does not declare: {"catalog" | "category" | "code": fields}."""
    absent: dict[str, set[str]] = {"catalog": set(), "category": set(), "code": set()}
    for declared, fields in _PUBLISHED_WITH:
        if not declared(catalog):
            for entry, names in fields.items():
                absent[entry].update(names)
    return absent


def _without(entry: dict[str, Any], fields: set[str]) -> dict[str, Any]:
    return {key: value for key, value in entry.items() if key not in fields}


def published_schema(catalog: Catalog, errors_url: str) -> str:
    """macros/schemas/catalog-json.schema.json, at the catalog's address, with what its codes look like."""
    schema = json.loads(PUBLISHED_SCHEMA.read_text(encoding="utf-8"))
    schema["$id"] = f"{_root(errors_url)}catalog.schema.json"
    schema["title"] = f"{catalog.title} (catalog.json)"
    schema["$defs"]["code_id"] = {"type": "string", "pattern": catalog.code_format.schema_pattern}
    if catalog.code_format.name_schema_pattern:
        schema["$defs"]["code"]["properties"]["name"]["pattern"] = catalog.code_format.name_schema_pattern
    range_pattern = catalog.code_format.range_schema_pattern
    if range_pattern:
        schema["$defs"]["category"]["properties"]["range"] = {"type": "string", "pattern": range_pattern}
    if catalog.canonical_absent_reasons:
        absent = schema["$defs"]["code"]["properties"]["canonical_absent"]
        absent.pop("type")
        absent["enum"] = [*catalog.canonical_absent_reasons, None]
    for entry, fields in _undeclared_fields(catalog).items():
        shape = schema if entry == "catalog" else schema["$defs"][entry]
        shape["properties"] = _without(shape["properties"], fields)
        shape["required"] = [name for name in shape["required"] if name not in fields]
    code = schema["$defs"]["code"]
    if "surfaces" in code["properties"]:
        code["properties"]["surfaces"]["enum"] = [*dict.fromkeys([*sections.met_at(catalog.sections), "http"])]
    # The fields the declared sections add to a code follow its `related`, as in catalog.json.
    added = {name: schemas["published"] for name, schemas in sections.code_fields(catalog.sections).items()}
    code["properties"] = _after_related(code["properties"], added)
    code["required"] = list(_after_related(dict.fromkeys(code["required"]), dict.fromkeys(added)))
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _after_related(entry: dict[str, Any], added: dict[str, Any]) -> dict[str, Any]:
    """The entry's keys in their order, with `added` right after `related`."""
    placed: dict[str, Any] = {}
    for key, value in entry.items():
        placed[key] = value
        if key == "related":
            placed.update(added)
    return placed


def catalog_json(catalog: Catalog, errors_url: str) -> str:
    """The catalog as data for tools, in the shape of macros/schemas/catalog-json.schema.json."""
    root = _root(errors_url)
    section_fields = sections.code_fields(catalog.sections)

    def code_entry(code: ErrorCode) -> dict[str, Any]:
        return {
            "code": code.code,
            "name": code.name,
            "category": code.category.slug,
            "http_status": code.http_status,
            "canonical_code": code.canonical_code,
            "canonical_absent": code.canonical_absent,
            "description": code.description,
            "retryable": code.retryable,
            "added_in": code.added_in,
            "deprecated_in": code.deprecated_in,
            "replaced_by": code.replaced_by,
            "resolution": code.resolution,
            "related": list(code.related),
            **{name: code.fields.get(name) for name in section_fields},
            "surfaces": code.surfaces,
            "surfaces_note": code.surfaces_note,
            "variants": [_variant_json(v) for v in code.variants],
            "in_practice": [{"note": n.note, "sources": [_source_json(s) for s in n.sources]} for n in code.in_practice],
            "sources": [_source_json(s) for s in code.sources],
            "example": dataclasses.asdict(code.example) if code.example else None,
            "doc_url": doc_url(errors_url, code),
            "alias_url": f"{root}{code.alias}" if code.alias else None,
        }

    absent = _undeclared_fields(catalog)
    return json.dumps(_without({
        "$schema": f"{root}catalog.schema.json",
        "title": catalog.title,
        "version": catalog.version,
        "status": catalog.status,
        "date": catalog.date,
        "specification_url": catalog.specification_url,
        "description": catalog.description,
        "publisher": catalog.publisher,
        "retryability": {k: {"label": v.label, "meaning": v.meaning} for k, v in catalog.retryability.items()},
        "categories": [_without({
            "digit": c.digit, "slug": c.slug, "name": c.name, "range": c.range,
            "default_retryable": c.default_retryable, "introduction": c.introduction,
            "retry_rule": c.retry_rule, "url": f"{root}{c.slug}/",
            "sources": [_source_json(s) for s in c.sources],
            "variants": [_variant_json(v) for v in c.variants],
        }, absent["category"]) for c in catalog.categories],
        "codes": [_without(code_entry(c), absent["code"]) for c in catalog.codes],
        "wire_codes": [{"code": w.code, "url": f"{root}{w.page}/", "about": w.about, "means": list(w.means),
                        "sources": [_source_json(s) for s in w.sources]} for w in catalog.wire_codes],
        "implementations": _implementations_json(catalog.implementations),
        "envelope": catalog.envelope,
    }, absent["catalog"]), ensure_ascii=False, indent=1)


def _variant_json(variant: Variant) -> dict[str, Any]:
    return {"code": variant.code, "http_status": variant.http_status, "grpc_status": variant.grpc_status,
            "note": variant.note, "source": _source_json(variant.source)}


def _source_json(source: Source) -> dict[str, Any]:
    return {"document": source.file_name, "section": source.section, "title": source.heading, "url": source.url,
            "lines": source.lines}


def _implementations_json(implementations) -> dict[str, Any] | None:
    """The implementations as the data file has them, every source as a source object."""
    def plain(value: Any) -> Any:
        if isinstance(value, Source):
            return _source_json(value)
        if dataclasses.is_dataclass(value):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, (list, tuple)):
            return [plain(item) for item in value]
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        return value
    return plain(implementations) if implementations else None


def robots_txt(site_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {_root(site_url)}sitemap.xml\n"


def changelog_feed(catalog: Catalog, errors_url: str) -> str:
    """The changelog as an Atom feed: one entry per catalog version, its codes added and deprecated."""
    root = _root(errors_url)
    atom = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", atom)

    def add(parent, tag: str, text: str | None = None, **attributes) -> ET.Element:
        element = ET.SubElement(parent, f"{{{atom}}}{tag}", attributes)
        element.text = text
        return element

    updated = f"{catalog.date}T00:00:00Z"
    feed = ET.Element(f"{{{atom}}}feed")
    add(feed, "id", f"{root}changelog/")
    add(feed, "title", f"{catalog.title}: changelog")
    add(feed, "subtitle", "Error codes added and deprecated in each version of the catalog.")
    add(feed, "updated", updated)
    add(feed, "link", href=f"{root}changelog.xml", rel="self", type="application/atom+xml")
    add(feed, "link", href=f"{root}changelog/", rel="alternate", type="text/html")
    add(add(feed, "author"), "name", catalog.publisher)
    for version in sorted({c.added_in for c in catalog.codes} | {c.deprecated_in for c in catalog.codes if c.deprecated_in},
                          key=version_key, reverse=True):
        added = [c for c in catalog.codes if c.added_in == version]
        deprecated = [c for c in catalog.codes if c.deprecated_in == version]
        entry = add(feed, "entry")
        add(entry, "id", f"{root}changelog/#catalog-{version.replace('.', '')}")
        add(entry, "title", f"Catalog {version}: {len(added)} codes added, {len(deprecated)} deprecated")
        add(entry, "updated", updated)
        add(entry, "link", href=f"{root}changelog/", rel="alternate", type="text/html")
        lines = [f"Added: {c.code} {c.name} ({doc_url(errors_url, c)})" for c in added]
        lines += [f"Deprecated: {c.code} {c.name}" + (f", replaced by {c.replaced_by}" if c.replaced_by else "")
                  for c in deprecated]
        add(entry, "content", "\n".join(lines), type="text")
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def catalog_markdown(catalog: Catalog, errors_url: str) -> str:
    return _text_env.get_template("catalog.md.j2").render(
        catalog=catalog, errors_url=_markdown_address(errors_url),
        status=lambda c: " ".join(filter(None, status_fact(catalog, c))) if c.http_status else "none",
    )


def llms_txt(catalog: Catalog, errors_url: str, pages: list[tuple[str, str, str]] = ()) -> str:
    """`pages`: (title, address in the catalog's folder, description) of its hand-written pages."""
    example_alias = next((c.alias for c in catalog.codes if c.alias), None)
    return _text_env.get_template("llms.txt.j2").render(catalog=catalog, errors_url=_markdown_address(errors_url),
                                                        pages=pages, example_alias=example_alias)


def _root(url: str) -> str:
    return url.rstrip("/") + "/"


def _markdown_address(url: str) -> Markup:
    """The catalog's address as the Markdown files write it: as it is, which a checked address
    allows (macros/layout.py), in code spans, link destinations and autolinks (<...>) only,
    where Markdown reads no emphasis and no escape."""
    return Markup(check_site_url(_root(url), "the catalog's address"))


def code_lookup(catalog: Catalog) -> str:
    """The file the search box and the 404 page read to recognise every form of a code."""
    table = forms.lookup(catalog)
    index_of = {code.code: index for index, code in enumerate(catalog.codes)}
    statuses: dict[int, dict[str, Any]] = {}
    for position, code in enumerate(catalog.codes):
        if code.http_status:
            entry = statuses.setdefault(code.http_status, {"phrases": _phrases(code.http_status), "codes": []})
            entry["codes"].append(position)
    return json.dumps({
        "version": catalog.version,
        # What a code looks like, for recognising one in a text or an address (code_format.py).
        "code_format": {"in_text": catalog.code_format.in_text, "number": catalog.code_format.number_javascript},
        "categories": [{"digit": c.digit, "slug": c.slug, "name": c.name, "range": c.range}
                       for c in catalog.categories],
        "codes": [{"code": c.code, "number": c.number, "digit": c.category.digit, "name": c.name,
                   "canonical_code": c.canonical_code} for c in catalog.codes],
        "pages": [{"page": w.page, "code": w.code, "codes": [index_of[c] for c in w.means]} for w in catalog.wire_codes],
        "forms": table["forms"],
        "wire_only": table["wire_only"],
        "exact": table["exact"],
        "statuses": statuses,
        **recognition(catalog),
    }, ensure_ascii=False, separators=(",", ":"))


def _phrases(status: int) -> list[str]:
    """The reason phrases a reader may type with a status, in lower case."""
    phrases = [http_status_text(status).split(" ", 1)[-1]]
    if status in OLDER_PHRASES:
        phrases.append(OLDER_PHRASES[status])
    return [p.lower() for p in phrases if not p.isdigit()]


def _default_label(catalog: Catalog, category: Category) -> str | None:
    if category.default_retryable is None:
        return None
    if category.default_retryable == "varies":
        return "Varies"
    return catalog.retryability[category.default_retryable].label
