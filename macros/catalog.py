"""Load the catalog data file, validate it, and return the model the pages are built from.

Stages: parse YAML, validate against data/catalog.schema.json, check what a schema
cannot (duplicates, ranges, references), then build immutable model objects. Every
failure is a CatalogError naming the file, the entry and the field.
"""

from __future__ import annotations

import json
import re
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import yaml

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "data" / "catalog.schema.json"


class CatalogError(Exception):
    """Bad catalog data; the message names the file, the entry and the field."""

    def __init__(self, path: Path | str, entry: str, field: str | None, problem: str):
        self.path, self.entry, self.field, self.problem = str(path), entry, field, problem
        where = f"{self.path}: {entry}" + (f": field '{field}'" if field else "")
        super().__init__(f"{where}: {problem}")


# The sections the page templates' fixed sentences cite: every catalog file's documents
# must list them.
TEMPLATE_SOURCES = (
    "error-catalog §1", "error-catalog §6.2",
    "ojs-errors §3", "ojs-errors §5.1", "ojs-errors §5.2", "ojs-errors §5.3", "ojs-errors §6.1",
    "ojs-errors §6.2", "ojs-http-binding §4.1", "ojs-http-binding §6.5", "ojs-http-binding §16.1",
    "ojs-http-binding §16.3", "ojs-grpc-binding §8.2", "ojs-grpc-binding §8.4", "ojs-retry §10.1",
    "ojs-workflows §9.6", "ojs-workflows §11.2",
    "go-sdk-error-codes", "go-sdk-error-codes-4b87ae8", "js-sdk-index", "python-sdk-error-codes",
    "java-sdk-error-code", "rust-sdk-error-codes", "ruby-sdk-error-codes",
)

_SOURCE = re.compile(r"(?P<document>[a-z0-9-]+)(?: §(?P<section>[0-9]+(?:\.[0-9]+)*))?")


@dataclass(frozen=True)
class Source:
    """A document, and optionally one of its sections, that a claim rests on."""
    document: str
    section: str | None
    file_name: str  # ojs-retry.md
    heading: str | None  # "2.2 Field Semantics"
    url: str

    @property
    def label(self) -> str:
        return self.file_name + (f" §{self.section}" if self.section else "")


@dataclass(frozen=True)
class Category:
    digit: int
    slug: str
    name: str
    short_name: str
    default_retryable: str  # "yes", "no" or "varies"
    introduction: str
    retry_rule: str
    sources: tuple[Source, ...] = ()

    @property
    def range(self) -> str:
        return f"OJS-{self.digit}xxx"


@dataclass(frozen=True)
class Example:
    message: str
    details: dict[str, Any] | None
    headers: dict[str, str]
    error_type: str | None


@dataclass(frozen=True)
class Variant:
    """What another specification document says of an error: another code, status or note."""
    source: Source
    code: str | None = None
    http_status: int | None = None
    grpc_status: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Amqp:
    mechanism: str
    header: bool  # whether x-ojs-error-code carries the canonical code


@dataclass(frozen=True)
class ErrorCode:
    code: str
    name: str
    category: Category
    http_status: int | None
    canonical_code: str | None
    canonical_absent: str | None  # "client-side", "server" or "generic"
    description: str
    retryable: str  # "yes", "no" or "per_retry_policy"
    added_in: str
    resolution: str
    related: tuple[str, ...]
    grpc_status: str | None
    amqp: Amqp | None
    example: Example | None
    deprecated_in: str | None = None
    replaced_by: str | None = None
    sources: tuple[Source, ...] = ()
    variants: tuple[Variant, ...] = ()
    surfaces_override: str | None = None
    surfaces_note: str | None = None

    @property
    def surfaces(self) -> str:
        """Where a reader meets it: "client", "history", "workflow" or "http"."""
        if self.surfaces_override:
            return self.surfaces_override
        if self.is_client_side:
            return "client"
        return "history" if self.http_status is None else "http"

    @property
    def is_deprecated(self) -> bool:
        return self.deprecated_in is not None

    @property
    def number(self) -> str:
        return self.code.removeprefix("OJS-")

    @property
    def is_client_side(self) -> bool:
        return self.canonical_absent == "client-side"


@dataclass(frozen=True)
class RetryabilityLevel:
    label: str
    meaning: str


@dataclass(frozen=True)
class Catalog:
    title: str
    version: str
    status: str
    date: str
    specification_url: str
    retryability: dict[str, RetryabilityLevel]
    categories: tuple[Category, ...]
    codes: tuple[ErrorCode, ...]  # in code order
    documents: dict[str, Source] = dataclasses.field(default_factory=dict)  # every citable source by its text

    def __post_init__(self) -> None:
        # Index once: pages look codes up by the thousand on large catalogs.
        object.__setattr__(self, "_position", {c.code: i for i, c in enumerate(self.codes)})

    def source(self, text: str) -> Source:
        return self.documents[text]

    def code(self, code: str) -> ErrorCode:
        return self.codes[self._position[code]]

    def codes_in(self, category: Category) -> tuple[ErrorCode, ...]:
        return tuple(c for c in self.codes if c.category is category)

    def neighbours(self, code: ErrorCode) -> tuple[ErrorCode | None, ErrorCode | None]:
        index = self._position[code.code]
        previous = self.codes[index - 1] if index > 0 else None
        following = self.codes[index + 1] if index + 1 < len(self.codes) else None
        return previous, following


def load_catalog(path: Path | str) -> Catalog:
    path = Path(path)
    raw = _parse_yaml(path)
    _validate_schema(path, raw)
    _check_consistency(path, raw)
    sources = _citable_sources(raw)
    _check_sources(path, raw, sources)
    return _build(raw, sources)


def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


# libyaml's loader parses a large catalog several times faster than the pure-Python one.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogError(path, "file", None, f"cannot be read ({error.strerror})") from error
    try:
        return yaml.load(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f"line {mark.line + 1}" if mark else "file"
        raise CatalogError(path, line, None, f"YAML syntax error: {error.problem}") from error
    except yaml.YAMLError as error:
        raise CatalogError(path, "file", None, f"YAML syntax error: {error}") from error


def _validate_schema(path: Path, raw: Any) -> None:
    validator = jsonschema.Draft202012Validator(load_schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(raw))
    if error is None:
        return
    entry, field = _locate(raw, list(error.absolute_path))
    problem = error.message
    if error.validator == "oneOf":
        problem = "give exactly one of 'canonical_code' and 'canonical_absent'"
    elif error.validator in ("required", "additionalProperties"):
        # Name the missing or unknown field itself, not the object that holds it.
        names = re.findall(r"'([^']+)'", error.message)
        if names:
            field = ".".join(filter(None, [field, names[0]]))
            problem = "is required" if error.validator == "required" else "is not a known field"
    elif error.validator == "enum" and isinstance(error.instance, bool):
        problem += ' (quote "yes" and "no": unquoted, YAML reads them as booleans)'
    raise CatalogError(path, entry, field, problem)


def _locate(raw: Any, json_path: list[Any]) -> tuple[str, str | None]:
    """Turn a JSON path into (entry, field): the code or category it is in, and the rest."""
    entry, rest = "catalog", json_path
    if json_path[:1] == ["categories"] and len(json_path) >= 2:
        category = raw["categories"][json_path[1]]
        entry = f"category {_label(category, 'slug', json_path[1])}"
        rest = json_path[2:]
        if rest[:1] == ["codes"] and len(rest) >= 2:
            code = category["codes"][rest[1]]
            entry = f"code {_label(code, 'code', rest[1])}"
            rest = rest[2:]
    elif json_path:
        entry, rest = str(json_path[0]), json_path[1:]
    field = ".".join(str(part) for part in rest) or None
    return entry, field


def _label(item: Any, key: str, index: int) -> str:
    if isinstance(item, dict) and isinstance(item.get(key), str):
        return item[key]
    return f"#{index + 1}"


def _check_consistency(path: Path, raw: dict[str, Any]) -> None:
    seen_digits: set[int] = set()
    seen_slugs: set[str] = set()
    seen_codes: set[str] = set()
    canonical_owner: dict[str, str] = {}
    for category in raw["categories"]:
        entry = f"category {category['slug']}"
        if category["digit"] in seen_digits:
            raise CatalogError(path, entry, "digit", f"digit {category['digit']} is used twice")
        if category["slug"] in seen_slugs:
            raise CatalogError(path, entry, "slug", "slug is used twice")
        seen_digits.add(category["digit"])
        seen_slugs.add(category["slug"])
        for item in category["codes"]:
            code = item["code"]
            entry = f"code {code}"
            if code in seen_codes:
                raise CatalogError(path, entry, "code", "code is used twice")
            seen_codes.add(code)
            if int(code[4]) != category["digit"]:
                raise CatalogError(
                    path, entry, "code",
                    f"outside its category's range OJS-{category['digit']}xxx "
                    f"(category {category['slug']})")
            canonical = item.get("canonical_code")
            if canonical in canonical_owner:
                raise CatalogError(path, entry, "canonical_code",
                                   f"{canonical} is already the canonical code of "
                                   f"{canonical_owner[canonical]}")
            if canonical:
                canonical_owner[canonical] = code
            else:
                for field in ("example", "grpc_status", "amqp"):
                    if field in item:
                        raise CatalogError(path, entry, field,
                                           "only a code with a canonical code can have one")
    version = raw["catalog"]["version"]
    for category in raw["categories"]:
        for item in category["codes"]:
            _check_deprecation(path, item, seen_codes, version)
            for related in item.get("related", []):
                if related not in seen_codes:
                    raise CatalogError(path, f"code {item['code']}", "related",
                                       f"{related} is not a code in this catalog")
                if related == item["code"]:
                    raise CatalogError(path, f"code {item['code']}", "related",
                                       "a code cannot be related to itself")


def github_anchor(heading: str) -> str:
    """The fragment GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    kept = "".join(ch for ch in heading.lower() if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")


def _citable_sources(raw: dict[str, Any]) -> dict[str, Source]:
    """Every source text a catalog entry may give, from the documents and repositories it lists."""
    citable: dict[str, Source] = {}
    for key, document in raw["documents"].items():
        repository = raw["repositories"].get(document["repository"])
        if repository is None:
            continue  # reported by _check_sources
        base = f"{repository['url']}/blob/{repository['commit']}/{document['path']}"
        file_name = document["path"].rsplit("/", 1)[-1]
        if not document.get("sections"):
            # A source file rather than a specification document: name the repository and commit.
            file_name = f"{repository['url'].rsplit('/', 1)[-1]} {document['path']} at {repository['commit'][:7]}"
        citable[key] = Source(key, None, file_name, None, base)
        for section, heading in document.get("sections", {}).items():
            citable[f"{key} §{section}"] = Source(key, section, file_name, heading,
                                                  f"{base}#{github_anchor(heading)}")
    return citable


def _check_sources(path: Path, raw: dict[str, Any], citable: dict[str, Source]) -> None:
    for key, document in raw["documents"].items():
        if document["repository"] not in raw["repositories"]:
            raise CatalogError(path, f"document {key}", "repository",
                               f"{document['repository']} is not one of the catalog's repositories")

    def check(entry: str, field: str, text: str) -> None:
        if text in citable:
            return
        document = _SOURCE.fullmatch(text).group("document")
        if document not in raw["documents"]:
            raise CatalogError(path, entry, field, f"'{text}' names the document '{document}', "
                               "which is not in the catalog's documents")
        raise CatalogError(path, entry, field, f"'{text}' names a section that the document "
                           f"'{document}' does not list under its sections")

    for text in TEMPLATE_SOURCES:
        if text not in citable:
            raise CatalogError(path, "documents", None,
                               f"'{text}' is cited by the page templates and must be listed")
    for category in raw["categories"]:
        for index, text in enumerate(category["sources"]):
            check(f"category {category['slug']}", f"sources.{index}", text)
        for item in category["codes"]:
            entry = f"code {item['code']}"
            for index, text in enumerate(item["sources"]):
                check(entry, f"sources.{index}", text)
            for index, variant in enumerate(item.get("variants", [])):
                check(entry, f"variants.{index}.source", variant["source"])


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _check_deprecation(path: Path, item: dict[str, Any], codes: set[str], version: str) -> None:
    entry = f"code {item['code']}"
    replacement = item.get("replaced_by")
    deprecated_in = item.get("deprecated_in")
    if replacement is not None:
        if deprecated_in is None:
            raise CatalogError(path, entry, "replaced_by", "only a deprecated code can have a "
                               "replacement: give 'deprecated_in' too")
        if replacement not in codes:
            raise CatalogError(path, entry, "replaced_by", f"{replacement} is not a code in this catalog")
        if replacement == item["code"]:
            raise CatalogError(path, entry, "replaced_by", "a code cannot replace itself")
    if deprecated_in is not None:
        if version_key(deprecated_in) < version_key(item["added_in"]):
            raise CatalogError(path, entry, "deprecated_in",
                               f"{deprecated_in} is before the code was added ({item['added_in']})")
        if version_key(deprecated_in) > version_key(version):
            raise CatalogError(path, entry, "deprecated_in",
                               f"{deprecated_in} is after this catalog's version ({version})")


def _build(raw: dict[str, Any], citable: dict[str, Source]) -> Catalog:
    categories: list[Category] = []
    codes: list[ErrorCode] = []
    for category_raw in sorted(raw["categories"], key=lambda c: c["digit"]):
        category = Category(**{k: v for k, v in category_raw.items() if k not in ("codes", "sources")},
                            sources=tuple(citable[s] for s in category_raw["sources"]))
        categories.append(category)
        for item in category_raw["codes"]:
            example = item.get("example")
            codes.append(ErrorCode(
                code=item["code"],
                name=item["name"],
                category=category,
                http_status=item["http_status"],
                canonical_code=item.get("canonical_code"),
                canonical_absent=item.get("canonical_absent"),
                description=item["description"],
                retryable=item["retryable"],
                added_in=item["added_in"],
                resolution=item["resolution"],
                related=tuple(item.get("related", ())),
                grpc_status=item.get("grpc_status"),
                amqp=Amqp(**item["amqp"]) if "amqp" in item else None,
                example=Example(
                    message=example["message"],
                    details=example.get("details"),
                    headers=dict(example.get("headers", {})),
                    error_type=example.get("error_type"),
                ) if example else None,
                deprecated_in=item.get("deprecated_in"),
                replaced_by=item.get("replaced_by"),
                sources=tuple(citable[s] for s in item["sources"]),
                variants=tuple(Variant(source=citable[v["source"]], code=v.get("code"),
                                       http_status=v.get("http_status"), grpc_status=v.get("grpc_status"),
                                       note=v.get("note"))
                               for v in item.get("variants", ())),
                surfaces_override=item.get("surfaces"),
                surfaces_note=item.get("surfaces_note"),
            ))
    meta = raw["catalog"]
    return Catalog(
        title=meta["title"],
        version=meta["version"],
        status=meta["status"],
        date=meta["date"],
        specification_url=meta["specification_url"],
        retryability={k: RetryabilityLevel(**v) for k, v in raw["retryability"].items()},
        categories=tuple(categories),
        codes=tuple(sorted(codes, key=lambda c: c.code)),
        documents=citable,
    )
