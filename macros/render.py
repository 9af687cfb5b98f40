"""Pure functions from the catalog model to page Markdown, through the Jinja templates beside this file.

Every catalog value that reaches a template is escaped for HTML (and for Markdown link and
table syntax) unless a function here marked it safe, so catalog text can never become markup.
"""

from __future__ import annotations

import html
import json
import re
from http import HTTPStatus
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup, escape

from .catalog import Catalog, Category, ErrorCode
from .sdk import sdk_names

TEMPLATES = Path(__file__).resolve().parent / "templates"

# RFC 9110 reason phrases; Python before 3.13 still has the older names for these.
_RFC9110_PHRASES = {413: "Content Too Large", 422: "Unprocessable Content"}

_GRPC_STATUS_NUMBERS = {
    "CANCELLED": 1, "UNKNOWN": 2, "INVALID_ARGUMENT": 3, "DEADLINE_EXCEEDED": 4,
    "NOT_FOUND": 5, "ALREADY_EXISTS": 6, "PERMISSION_DENIED": 7, "RESOURCE_EXHAUSTED": 8,
    "FAILED_PRECONDITION": 9, "ABORTED": 10, "OUT_OF_RANGE": 11, "UNIMPLEMENTED": 12,
    "INTERNAL": 13, "UNAVAILABLE": 14, "DATA_LOSS": 15, "UNAUTHENTICATED": 16,
}

# An illustrative moment for the error-history examples.
_EXAMPLE_TIME = "2025-07-16T09:30:00Z"


def _escape_catalog_text(value: Any) -> Markup:
    if isinstance(value, Markup):
        return value
    # "[" would start a Markdown link (javascript: URLs included), "|" would split a table cell.
    return Markup(str(escape(value)).replace("[", "&#91;").replace("|", "&#124;"))


_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    finalize=_escape_catalog_text,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def http_status_text(status: int) -> str:
    phrase = _RFC9110_PHRASES.get(status)
    if phrase is None:
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            return str(status)
    return f"{status} {phrase}"


def plain_text(text: str) -> str:
    """Catalog text without its Markdown code marks, for meta descriptions."""
    return re.sub(r"`([^`]*)`", r"\1", " ".join(text.split()))


def doc_url(site_url: str, code: ErrorCode) -> str:
    return f"{site_url.rstrip('/')}/errors/{code.code}"


def _fenced(language: str, body: str) -> Markup:
    # A fence longer than any run of backticks in the body, so the body cannot close it.
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return Markup(f"{fence}{language}\n{body}\n{fence}")


def example_block(code: ErrorCode, site_url: str) -> Markup | None:
    """The error as the backend reports it: an HTTP response, or an error-history entry."""
    example = code.example
    if example is None or code.canonical_code is None:
        return None
    if code.http_status is None:
        entry = {
            "code": code.canonical_code,
            "message": example.message,
            "type": example.error_type or code.name,
            "attempt": 1,
            "occurred_at": _EXAMPLE_TIME,
        }
        return _fenced("json", json.dumps(entry, indent=2, ensure_ascii=False))
    body: dict[str, Any] = {"code": code.canonical_code, "message": example.message}
    if example.details is not None:
        body["details"] = example.details
    body["retryable"] = code.retryable == "yes"
    body["doc_url"] = doc_url(site_url, code)
    lines = [f"HTTP/1.1 {http_status_text(code.http_status)}", "Content-Type: application/json"]
    lines += [f"{name}: {value}" for name, value in example.headers.items()]
    lines += ["", json.dumps(body, indent=2, ensure_ascii=False)]
    return _fenced("http", "\n".join(lines))


def _front_matter(title: str, description: str) -> str:
    meta = {
        "title": title,
        # Material writes the description into an attribute without escaping it.
        "description": html.escape(plain_text(description)),
        # The page is fully rendered here: catalog text must not be read as macros.
        "render_macros": False,
    }
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n"


def code_page(catalog: Catalog, code: ErrorCode, site_url: str) -> str:
    previous, following = catalog.neighbours(code)
    category = code.category
    body = _env.get_template("code_page.md.j2").render(
        code=code,
        category=category,
        level=catalog.retryability[code.retryable],
        category_default=_default_label(catalog, category),
        http_status=http_status_text(code.http_status) if code.http_status else None,
        grpc_number=_GRPC_STATUS_NUMBERS.get(code.grpc_status or ""),
        example=example_block(code, site_url),
        sdk=sdk_names(code),
        related=[catalog.code(c) for c in code.related],
        previous=previous,
        following=following,
    )
    return _front_matter(f"{code.code} {code.name}", f"{code.code} {code.name}: {code.description}") + body


def category_page(catalog: Catalog, category: Category) -> str:
    codes = catalog.codes_in(category)
    body = _env.get_template("category_page.md.j2").render(
        category=category,
        default_label=_default_label(catalog, category),
        count=len(codes),
        table=codes_table(catalog, codes, describe=True),
    )
    description = (f"{category.range} {category.name} of the {catalog.title}: "
                   f"{len(codes)} codes. {category.introduction}")
    return _front_matter(f"{category.range} {category.name}", description) + body


def codes_table(catalog: Catalog, codes: tuple[ErrorCode, ...], *, describe: bool = False,
                base: str = "") -> Markup:
    return Markup(_env.get_template("codes_table.md.j2").render(
        codes=codes, describe=describe, base=base, catalog=catalog,
        status=lambda c: str(c.http_status) if c.http_status else "—",
    ))


def categories_table(catalog: Catalog, *, base: str = "") -> Markup:
    return Markup(_env.get_template("categories_table.md.j2").render(
        base=base,
        rows=[(c, _default_label(catalog, c), len(catalog.codes_in(c))) for c in catalog.categories],
    ))


def mapping_table(catalog: Catalog, *, base: str = "") -> Markup:
    return Markup(_env.get_template("mapping_table.md.j2").render(catalog=catalog, base=base))


def _default_label(catalog: Catalog, category: Category) -> str:
    if category.default_retryable == "varies":
        return "Varies"
    return catalog.retryability[category.default_retryable].label
