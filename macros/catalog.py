"""Load the catalog data file, validate it, and return the model the pages are built from.

Stages, each reporting every problem it finds before the next one runs:
1. read: the file's size, its encoding, and a scan of its YAML events for nesting depth,
   anchors and aliases, and keys given twice (YAML itself keeps the last one silently);
2. values: only JSON types, finite numbers, no control characters, no overlong text;
3. shape: macros/schemas/catalog.schema.json, with whole numbers that are written as such;
4. meaning: what a schema cannot say (duplicates, ranges, references, versions, sources);
5. the lock: published codes are never removed, renamed or re-mapped.
A CatalogError lists every problem, each with the file, the entry and the field.
Nothing is built from a file with a problem.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import referencing.exceptions
import yaml

from .code_format import CodeFormat, CodeFormatError
from .forms import form_clashes, forms_at_page_addresses, wire_page_problems
from .implementations import (Backends, BackendMessage, GrpcMapping, Implementations, PracticeNote, Raised, Sdk,
                              SdkType, Unreadable, WireCode)
from .model import (Catalog, Category, ErrorCode, Example, RetryabilityLevel, Source, Variant,
                    github_anchor, version_key)
from . import sections as page_sections
from .sections import Section, cited_by, surfaces

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "catalog.schema.json"

# Limits, generous for real catalogs (the 54-code catalog is about 0.1 MB, 9 levels deep,
# its longest text under 700 characters); see also the maxLength of names in the schema.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_DEPTH = 24
MAX_TEXT_LENGTH = 5000

_SOURCE = re.compile(r"(?P<document>[a-z0-9-]+)(?: §(?P<section>[0-9]+(?:\.[0-9]+)*)"
                     r"|:(?P<first>[1-9][0-9]*)(?:-(?P<last>[1-9][0-9]*))?)?")


@dataclass(frozen=True)
class Problem:
    entry: str
    field: str | None
    problem: str


class CatalogError(Exception):
    """Bad catalog data: every problem found, each naming the file, the entry and the field."""

    def __init__(self, path: Path | str, problems: list[Problem]):
        self.path, self.problems = str(path), problems
        first = problems[0]
        self.entry, self.field, self.problem = first.entry, first.field, first.problem
        lines = [f"{self.path}: {p.entry}" + (f": field '{p.field}'" if p.field else "") + f": {p.problem}"
                 for p in problems]
        heading = [f"{len(problems)} problems in the catalog:"] if len(problems) > 1 else []
        super().__init__("\n".join(heading + lines))


def load_catalog(path: Path | str, lock_path: Path | str | None = None) -> Catalog:
    """The catalog in `path`, checked against the published codes in `lock_path` if given."""
    path = Path(path)
    problems: list[Problem] = []
    citable: dict[str, Source] = {}
    raw = _read(path, problems)
    if not problems:
        _check_values(raw, problems)
        # The declared sections first: the fields they add to a code are part of the schema.
        declared = _sections(raw, path.parent, problems)
        _check_schema(raw, declared, problems)
        # The meaning checks read only entries whose shape is right, so they can run
        # beside shape problems and report theirs too.
        _check_meaning(raw, declared, problems)
        citable = _citable_sources(raw)
        _check_sources(raw, declared, citable, problems)
        if lock_path is not None:
            _check_lock(raw, Path(lock_path), problems)
    if problems:
        raise CatalogError(path, problems)
    catalog = _build(raw, declared, citable)
    # Two codes must not share a form a reader may type: a code, a name, an SDK constant.
    for form, code, other in form_clashes(catalog):
        problems.append(Problem(f"code {code}", None, f"a reader's form of it, {form}, is also a form of "
                                f"{other} (forms are compared in lower case, letters and digits only)"))
    for entry, problem in wire_page_problems(catalog):
        problems.append(Problem(entry, None, problem))
    for entry, field, problem in forms_at_page_addresses(catalog):
        problems.append(Problem(entry, field, problem))
    if problems:
        raise CatalogError(path, problems)
    return catalog


def load_schema(declared: tuple[Section, ...] = ()) -> dict[str, Any]:
    """The data file's JSON Schema, with the fields the declared sections add to a code."""
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    code = schema["$defs"]["error_code"]["properties"]
    code.update({name: schemas["data"] for name, schemas in page_sections.code_fields(declared).items()})
    return schema


# 1. Reading --------------------------------------------------------------------------

# libyaml's parser is several times faster than the pure-Python one.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path, problems: list[Problem]) -> Any:
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)  # never more: the input may not end
    except OSError as error:
        problems.append(Problem("file", None, f"cannot be read ({error.strerror})"))
        return None
    if len(data) > MAX_FILE_BYTES:
        problems.append(Problem("file", None, f"is larger than the limit of {MAX_FILE_BYTES // 2**20} MiB"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        problems.append(Problem(f"line {line}", None, f"is not UTF-8 (byte {error.start}: "
                                f"{data[error.start:error.start + 1]!r}); save the file as UTF-8"))
        return None
    try:
        _scan_events(text, problems)
        if problems:
            return None
        return yaml.load(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problems.append(Problem(f"line {mark.line + 1}" if mark else "file", None,
                                f"YAML syntax error: {error.problem}"))
    except yaml.YAMLError as error:
        problems.append(Problem("file", None, f"YAML syntax error: {error}"))
    return None


@dataclass
class _Frame:
    is_mapping: bool
    keys: dict[str, int]  # key -> line it was first given on
    expect_key: bool = True
    label: str | None = None  # the entry the mapping is: "code OJS-1001"
    last_key: str | None = None


def _scan_events(text: str, problems: list[Problem]) -> None:
    """Refuse what YAML would accept silently or expensively, before anything is built."""
    stack: list[_Frame] = []
    for event in yaml.parse(text, Loader=_SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark else 0
        entry = next((f.label for f in reversed(stack) if f.label), f"line {line}")
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            problems.append(Problem(entry, None, f"line {line}: YAML anchors and aliases (& and *) are not "
                                    "allowed in the catalog: write the value out"))
            return
        frame = stack[-1] if stack else None
        is_key = frame is not None and frame.is_mapping and frame.expect_key
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if is_key:
                problems.append(Problem(entry, None, f"line {line}: a mapping key must be plain text"))
                return
            if frame is not None and frame.is_mapping:
                frame.expect_key = True
            if len(stack) >= MAX_DEPTH:
                problems.append(Problem(entry, None, f"line {line}: nested more than {MAX_DEPTH} levels deep"))
                return
            stack.append(_Frame(isinstance(event, yaml.MappingStartEvent), {}))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
        elif isinstance(event, yaml.ScalarEvent) and frame is not None and frame.is_mapping:
            if is_key:
                if event.value in frame.keys:
                    problems.append(Problem(entry, event.value, f"is given twice in one entry (lines "
                                            f"{frame.keys[event.value]} and {line}); YAML would keep only the last"))
                frame.keys.setdefault(event.value, line)
                frame.last_key = event.value
                frame.expect_key = False
            else:
                if frame.last_key in ("code", "slug") and frame.label is None:
                    frame.label = f"{'code' if frame.last_key == 'code' else 'category'} {event.value}"
                frame.expect_key = True


# 2. Values ---------------------------------------------------------------------------

def _is_forbidden_character(ch: str) -> bool:
    if ch in "\n\t":
        return False
    code = ord(ch)
    # Control characters, surrogates, and noncharacters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF).
    return (unicodedata.category(ch) in ("Cc", "Cs") or 0xFDD0 <= code <= 0xFDEF
            or (code & 0xFFFE) == 0xFFFE)


def _check_values(raw: Any, problems: list[Problem]) -> None:
    """Only what JSON can hold: the published catalog.json and every page rest on it."""
    stack: list[tuple[Any, list[Any]]] = [(raw, [])]
    while stack:
        value, json_path = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    hint = " (quote it: YAML read it as a number)" if isinstance(key, (int, float)) else ""
                    problems.append(Problem(*_locate(raw, json_path), f"has the key {key!r}, which is not text{hint}"))
                    continue
                stack.append((item, json_path + [key]))
            continue
        if isinstance(value, list):
            stack.extend((item, json_path + [index]) for index, item in enumerate(value))
            continue
        entry, field = _locate(raw, json_path)
        if isinstance(value, str):
            bad = next((ch for ch in value if _is_forbidden_character(ch)), None)
            if bad is not None:
                problems.append(Problem(entry, field, f"holds the character U+{ord(bad):04X}, which catalog "
                                        "text may not hold (control characters and noncharacters)"))
            if len(value) > MAX_TEXT_LENGTH:
                problems.append(Problem(entry, field, f"is {len(value)} characters long; the limit is "
                                        f"{MAX_TEXT_LENGTH}"))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append(Problem(entry, field, f"is {value}, which JSON cannot hold"))
        elif isinstance(value, (datetime.date, datetime.datetime)):
            problems.append(Problem(entry, field, "is a date, which JSON cannot hold: quote it to keep it as text"))
        elif not isinstance(value, (str, int, float, bool, type(None))):
            problems.append(Problem(entry, field, f"is a {type(value).__name__}, which JSON cannot hold"))


# 3. Shape ----------------------------------------------------------------------------

def _is_whole_number(checker, instance) -> bool:
    # JSON Schema counts 400.0 as an integer; a catalog must write 400.
    return isinstance(instance, int) and not isinstance(instance, bool)


_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_whole_number),
)


def _check_schema(raw: Any, declared: tuple[Section, ...], problems: list[Problem]) -> None:
    try:
        errors = sorted(_Validator(load_schema(declared)).iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
    except referencing.exceptions.Unresolvable as error:  # a section's field schema refers to nothing
        ref = f"#{error.ref}" if str(error.ref).startswith("/") else error.ref  # a pointer within the schema
        problems.append(Problem("catalog", "sections", f"a field schema of a declared section refers to {ref}, "
                                "which the data file's schema does not have"))
        return
    for error in errors:
        entry, field = _locate(raw, list(error.absolute_path))
        problem = error.message
        if error.validator == "oneOf" and entry.startswith("document "):
            problem = "give either 'repository' and 'path' (a file at a commit) or 'url' (a web page)"
        elif error.validator == "oneOf":
            problem = "give exactly one of 'canonical_code' and 'canonical_absent'"
        elif error.validator in ("required", "additionalProperties"):
            # Name the missing or unknown field itself, not the object that holds it.
            names = re.findall(r"'([^']+)'", error.message)
            if names:
                field = ".".join(filter(None, [field, names[0]]))
                problem = "is required" if error.validator == "required" else "is not a known field"
        elif error.validator == "dependentRequired":
            missing, given = re.findall(r"'([^']+)'", error.message)[:2]
            field = ".".join(filter(None, [field, missing]))
            problem = f"is required with '{given}': give both or neither"
        elif error.validator in ("enum", "type") and isinstance(error.instance, bool):
            problem += ' (quote "yes" and "no": unquoted, YAML reads them as booleans)'
        elif error.validator == "type" and isinstance(error.instance, float):
            problem = f"{error.instance!r} is not a whole number: write it without a decimal point"
        elif error.validator == "pattern" and isinstance(error.instance, str) and error.instance != error.instance.strip():
            problem = f"{error.instance!r} has white space (a line break, perhaps) at its start or end"
        problems.append(Problem(entry, field, problem))


_REGISTRY_ENTRY = {"documents": "document", "repositories": "repository"}


def _locate(raw: Any, json_path: list[Any]) -> tuple[str, str | None]:
    """Turn a JSON path into (entry, field): the code or category it is in, and the rest."""
    entry, rest = "catalog", json_path
    if json_path[:1] == ["categories"] and len(json_path) >= 2 and _has(raw, "categories", json_path[1]):
        category = raw["categories"][json_path[1]]
        entry = f"category {_label(category, 'slug', json_path[1])}"
        rest = json_path[2:]
        if rest[:1] == ["codes"] and len(rest) >= 2 and _has(category, "codes", rest[1]):
            code = category["codes"][rest[1]]
            entry = f"code {_label(code, 'code', rest[1])}"
            rest = rest[2:]
    elif len(json_path) >= 2 and json_path[0] in _REGISTRY_ENTRY:
        entry, rest = f"{_REGISTRY_ENTRY[json_path[0]]} {json_path[1]}", json_path[2:]
    elif json_path:
        entry, rest = str(json_path[0]), json_path[1:]
    field = ".".join(str(part) for part in rest) or None
    return entry, field


def _has(container: Any, key: str, index: Any) -> bool:
    items = container.get(key) if isinstance(container, dict) else None
    return isinstance(items, list) and isinstance(index, int) and index < len(items)


def _label(item: Any, key: str, index: int) -> str:
    if isinstance(item, dict) and isinstance(item.get(key), str):
        return item[key]
    return f"#{index + 1}"


# 4. Meaning --------------------------------------------------------------------------

def _valid(item: Any, *fields: str) -> bool:
    return isinstance(item, dict) and all(isinstance(item.get(f), (str, int)) and not isinstance(item.get(f), bool)
                                          for f in fields)


def _categories(raw: Any) -> list[dict]:
    categories = raw.get("categories") if isinstance(raw, dict) else None
    return [c for c in categories if isinstance(c, dict)] if isinstance(categories, list) else []


def _codes(category: dict) -> list[dict]:
    codes = category.get("codes")
    return [c for c in codes if _valid(c, "code")] if isinstance(codes, list) else []


def _sections(raw: Any, folder: Path, problems: list[Problem]) -> tuple[Section, ...]:
    """The page sections the catalog declares, its own from its folder. A field a section adds
    to a code must be a new one: not the engine's, not another declared section's."""
    names = raw.get("sections") if isinstance(raw, dict) and isinstance(raw.get("sections"), list) else []
    declared = page_sections.resolve(folder, names,
                                     lambda problem: problems.append(Problem("catalog", "sections", problem)))
    owners = {name: "the engine" for name in load_schema()["$defs"]["error_code"]["properties"]}
    for section in declared:
        for name in section.fields:
            if name in owners:
                problems.append(Problem("catalog", "sections", f"'{section.name}' adds a field '{name}' to a code, "
                                        f"which {owners[name]} already has: give it another name"))
            owners.setdefault(name, f"the section '{section.name}'")
    return declared


def _check_meaning(raw: Any, declared: tuple[Section, ...], problems: list[Problem]) -> None:
    def report(entry: str, field: str | None, problem: str) -> None:
        problems.append(Problem(entry, field, problem))

    meta = raw.get("catalog") if isinstance(raw, dict) else None
    version = meta.get("version") if isinstance(meta, dict) else None
    version = version if isinstance(version, str) and re.fullmatch(r"\d+\.\d+\.\d+", version) else None
    if isinstance(meta, dict) and isinstance(meta.get("date"), str):
        try:
            datetime.date.fromisoformat(meta["date"])
        except ValueError:
            report("catalog", "date", f"{meta['date']!r} is not a date of the calendar")

    owners: dict[tuple[str, str], str] = {}  # (kind, value) -> the code or category that has it

    def unique(kind: str, value: Any, entry: str, field: str, words: str, why: str = "") -> None:
        if not isinstance(value, (str, int)):
            return
        key = (kind, str(value))
        if key in owners:
            report(entry, field, f"{value} {words} {owners[key]}{why}")
        else:
            owners[key] = entry.removeprefix("code ")

    code_format = _code_format(raw, report)
    all_codes = {c["code"] for cat in _categories(raw) for c in _codes(cat)}
    # Every page and alias lives in errors/: two names that differ only by case are the
    # same file on many hosts and file systems.
    page_names: dict[str, tuple[str, str]] = {}  # folded name -> (name, entry)

    def page_name(name: Any, entry: str, field: str) -> None:
        if not isinstance(name, str):
            return
        other = page_names.setdefault(name.casefold(), (name, entry))
        if other[0] != name:  # the same name twice is reported as a duplicate
            report(entry, field, f"{name} and {other[0]} ({other[1]}) differ only by case: on many hosts "
                   f"errors/{name}/ and errors/{other[0]}/ are the same address")

    for category in _categories(raw):
        entry = f"category {category.get('slug')}"
        unique("digit", category.get("digit"), entry, "digit", "is also the digit of")
        unique("slug", category.get("slug"), entry, "slug", "is also the slug of")
        page_name(category.get("slug"), entry, "slug")
        for item in _codes(category):
            entry = f"code {item['code']}"
            unique("code", item["code"], entry, "code", "is used twice: also by")
            unique("name", item.get("name"), entry, "name", "is also the name of",
                   ": a reader who types the name must reach one code")
            page_name(item["code"], entry, "code")
            if code_format is not None:
                _check_code_format(code_format, item, category, entry, report)
            canonical = item.get("canonical_code")
            if isinstance(canonical, str):
                unique("canonical", canonical, entry, "canonical_code", "is already the canonical code of")
                page_name(canonical, entry, "canonical_code")
            elif "example" in item:
                report(entry, "example", "only a code with a canonical code can have one")
            for index, related in enumerate(item.get("related", []) if isinstance(item.get("related"), list) else []):
                if related == item["code"]:
                    report(entry, f"related.{index}", "a code cannot be related to itself")
                elif related not in all_codes:
                    report(entry, f"related.{index}", f"{related} is not a code in this catalog")
            _check_versions(item, all_codes, version, report)
    example = meta.get("example_code") if isinstance(meta, dict) else None
    if isinstance(example, str) and example not in all_codes:
        report("catalog", "example_code", f"{example} is not a code in this catalog")
    _check_declared(raw, code_format, declared, report)
    _check_replacement_cycles(raw, report)
    _check_code_references(raw, all_codes, report)


# Fields a catalog needs because of what it declares, and only then: a catalog with no
# retryability levels, no version or no sources is not made to invent them.
def _check_declared(raw: Any, code_format: CodeFormat | None, declared: tuple[Section, ...], report) -> None:
    meta = raw.get("catalog") if isinstance(raw.get("catalog"), dict) else {}
    has_levels = isinstance(raw.get("retryability"), dict)
    has_version = "version" in meta
    sources_required = raw.get("sources_required", True) is not False
    by_category = code_format is not None and "category" in code_format.part_names
    shown_fields = {field for section in declared for field in section.code_fields}
    met_at = page_sections.met_at(declared)

    levels = sorted(raw["retryability"]) if has_levels else []
    reasons = list(raw["canonical_absent_reasons"]) if isinstance(raw.get("canonical_absent_reasons"), dict) else []

    def declared_level(entry: str, item: dict, field: str, also: tuple[str, ...] = ()) -> None:
        value = item.get(field)
        if has_levels and isinstance(value, str) and value not in levels and value not in also:
            report(entry, field, f"'{value}' is not one of the catalog's retryability levels "
                   f"({', '.join(levels + list(also))})")

    def need(entry: str, item: dict, field: str, because: str) -> None:
        if field not in item:
            report(entry, field, f"is required: {because}")

    def refuse(entry: str, item: dict, field: str, because: str) -> None:
        if field in item:
            report(entry, field, f"is not allowed: {because}")

    if not has_version:
        for field in ("raised_by", "feed_for"):  # the deprecation notice's and the changelog's words
            refuse("catalog", meta, field, "the catalog has no version (catalog.version)")
    if not raw.get("wire_codes"):
        refuse("catalog", meta, "wire_codes_intro", "the catalog has no wire_codes")
    showing_clients = [section.name for section in declared if section.template("clients")]
    if len(showing_clients) > 1:
        report("catalog", "sections", f"{' and '.join(map(repr, showing_clients))} both show the code pages' "
               "clients: declare one")
    for section in declared:
        for part in section.needs:
            if raw.get(part) is None:
                report("catalog", "sections", f"'{section.name}' shows what '{part}' holds, which the catalog lacks")

    for category in _categories(raw):
        entry = f"category {category.get('slug')}"
        if by_category:
            need(entry, category, "digit", "the catalog's code_format.pattern has a category part")
        if has_levels:
            need(entry, category, "default_retryable", "the catalog declares retryability levels")
            declared_level(entry, category, "default_retryable", also=("varies",))
            if category.get("default_retryable") != "varies":
                need(entry, category, "retry_rule", "the catalog declares retryability levels")
        else:
            for field in ("default_retryable", "retry_rule"):
                refuse(entry, category, field, "the catalog declares no retryability levels")
        if sources_required:
            need(entry, category, "sources", "the catalog requires sources (sources_required)")
        for item in _codes(category):
            entry = f"code {item['code']}"
            if has_levels:
                need(entry, item, "retryable", "the catalog declares retryability levels")
                declared_level(entry, item, "retryable")
            else:
                refuse(entry, item, "retryable", "the catalog declares no retryability levels")
            if has_version:
                need(entry, item, "added_in", "the catalog has a version (catalog.version)")
            else:
                for field in ("added_in", "deprecated_in"):
                    refuse(entry, item, field, "the catalog has no version (catalog.version)")
            absent = item.get("canonical_absent")
            if isinstance(absent, str) and absent not in reasons:
                report(entry, "canonical_absent", f"'{absent}' is not one of the catalog's canonical_absent_reasons"
                       + (f" ({', '.join(reasons)})" if reasons else ": it declares none"))
            for field in page_sections.CODE_FIELDS:
                if field not in shown_fields:  # only a section shows them
                    refuse(entry, item, field, "no page section the catalog declares shows it (sections)")
            place = item.get("surfaces")
            if "surfaces" in shown_fields and isinstance(place, str) and place not in met_at:
                report(entry, "surfaces", f"'{place}' is not a place the declared sections say a code is met "
                       f"({', '.join(met_at)})")
            for section in declared:
                try:
                    refused = section.check(item)
                except Exception as error:  # a catalog's own code: whatever it raises is its problem
                    report("catalog", "sections", f"'{section.name}': {section.file}: check() failed on {entry}: "
                           f"{type(error).__name__}: {error}")
                    continue
                for field, problem in refused:
                    report(entry, field, problem)
            if sources_required:
                need(entry, item, "sources", "the catalog requires sources (sources_required)")


def _code_format(raw: Any, report) -> CodeFormat | None:
    declared = raw.get("code_format") if isinstance(raw, dict) else None
    if not isinstance(declared, dict) or not isinstance(declared.get("pattern"), str):
        return None  # the schema reports it
    try:
        return CodeFormat.declared(declared)
    except CodeFormatError as error:
        report("code_format", error.field, error.problem)
        return None


def _check_code_format(code_format: CodeFormat, item: dict, category: dict, entry: str, report) -> None:
    if isinstance(item.get("name"), str) and not code_format.is_name(item["name"]):
        report(entry, "name", f"does not match the catalog's code_format.name {code_format.name!r}")
    code = item["code"]
    parts = code_format.parts(code)
    if parts is None:
        report(entry, "code", f"does not match the catalog's code_format.pattern {code_format.pattern!r}")
    elif "category" in parts and parts["category"] != str(category.get("digit")):
        range_ = code_format.range_of(category.get("digit"))
        report(entry, "code", f"outside its category's range{' ' + range_ if range_ else ''} "
               f"(category {category.get('slug')}, digit {category.get('digit')})")


def _check_code_references(raw: Any, all_codes: set[str], report) -> None:
    """Every code that an implementation's text or a wire code stands for is in the catalog."""
    def walk(value: Any, entry: str, path: list[str]) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, entry, path + [str(key)])
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, entry, path + [str(index)])
        elif isinstance(value, str) and ("means" in path or "narrowed_by" in path) and value not in all_codes:
            report(entry, ".".join(path), f"{value} is not a code in this catalog")

    if not isinstance(raw, dict):
        return
    walk(raw.get("implementations"), "implementations", [])
    wire_codes = raw.get("wire_codes") if isinstance(raw.get("wire_codes"), list) else []
    pages: dict[str, str] = {}
    for wire in wire_codes:
        if not isinstance(wire, dict) or not isinstance(wire.get("code"), str):
            continue
        entry = f"wire code {wire['code']}"
        walk({"means": wire.get("means")}, entry, [])
        page = wire.get("page", wire["code"])
        if isinstance(page, str):
            other = pages.setdefault(page.casefold(), wire["code"])
            if other != wire["code"]:
                report(entry, "page", f"its address errors/{page}/ is also that of the wire code {other}")


def _check_versions(item: dict, all_codes: set[str], version: str | None, report) -> None:
    entry = f"code {item['code']}"
    versions = {f: item.get(f) for f in ("added_in", "deprecated_in")}
    versions = {f: v for f, v in versions.items() if isinstance(v, str) and re.fullmatch(r"\d+\.\d+\.\d+", v)}
    if version and "added_in" in versions and version_key(versions["added_in"]) > version_key(version):
        report(entry, "added_in", f"{versions['added_in']} is after this catalog's version ({version})")
    replacement = item.get("replaced_by")
    if replacement is not None:
        if item.get("deprecated_in") is None:
            report(entry, "replaced_by", "only a deprecated code can have a replacement: give 'deprecated_in' too")
        elif replacement == item["code"]:
            report(entry, "replaced_by", "a code cannot replace itself")
        elif replacement not in all_codes:
            report(entry, "replaced_by", f"{replacement} is not a code in this catalog")
    if "deprecated_in" in versions:
        deprecated = versions["deprecated_in"]
        if "added_in" in versions and version_key(deprecated) < version_key(versions["added_in"]):
            report(entry, "deprecated_in", f"{deprecated} is before the code was added ({versions['added_in']})")
        if version and version_key(deprecated) > version_key(version):
            report(entry, "deprecated_in", f"{deprecated} is after this catalog's version ({version})")


def _check_replacement_cycles(raw: Any, report) -> None:
    replaced_by = {c["code"]: c["replaced_by"] for cat in _categories(raw) for c in _codes(cat)
                   if isinstance(c.get("replaced_by"), str) and c["replaced_by"] != c["code"]}
    reported: set[str] = set()
    for start in sorted(replaced_by):
        chain, code = [start], replaced_by[start]
        while code in replaced_by and code not in chain:
            chain.append(code)
            code = replaced_by[code]
        if code == start and start not in reported:
            reported.update(chain)
            report(f"code {start}", "replaced_by",
                   f"replacements go round in a circle: {' -> '.join(chain + [start])}")


# Sources -------------------------------------------------------------------------------

# How GitHub addresses a file at a commit and its lines; a repository elsewhere declares its own.
GITHUB_FILE_URL = "{url}/blob/{commit}/{path}"
GITHUB_LINE_ANCHOR = "#L{first}"
GITHUB_LINES_ANCHOR = "#L{first}-L{last}"


def _fill(template: str, **values: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: values.get(match.group(1), match.group()), template)


def _citable_sources(raw: Any) -> dict[str, Source]:
    """Every source text a catalog entry may give, from the documents and repositories it lists."""
    citable: dict[str, Source] = {}
    documents = raw.get("documents", {}) if isinstance(raw, dict) else None
    repositories = raw.get("repositories", {}) if isinstance(raw, dict) else None
    if not isinstance(documents, dict) or not isinstance(repositories, dict):
        return citable
    for key, document in documents.items():
        if _valid(document, "url"):
            # A web page: cited as it is, its sections by number and heading (no anchor is known).
            name = document.get("title") if isinstance(document.get("title"), str) else document["url"]
            citable[key] = Source(key, None, name, None, document["url"], commit=None)
            for section, heading in (document.get("sections") or {}).items():
                if isinstance(heading, str):
                    citable[f"{key} §{section}"] = Source(key, section, name, heading, document["url"], commit=None)
            continue
        if not _valid(document, "repository", "path"):
            continue
        repository = repositories.get(document["repository"])
        if not _valid(repository, "url", "commit"):
            continue  # reported by _check_sources or the schema
        base = _fill(repository.get("file_url", GITHUB_FILE_URL), url=repository["url"], commit=repository["commit"],
                     path=document["path"])
        # GitHub's heading anchors are known; another host's are not, and its sections are cited bare.
        on_github = "file_url" not in repository
        file_name = document["path"].rsplit("/", 1)[-1]
        sections = document.get("sections") if isinstance(document.get("sections"), dict) else {}
        if not sections:
            # A source file rather than a specification document: name the repository and commit.
            file_name = f"{repository['url'].rsplit('/', 1)[-1]} {document['path']} at {repository['commit'][:7]}"
        in_repository = {"commit": repository["commit"], "repository": document["repository"],
                         "repository_path": document["path"]}
        citable[key] = Source(key, None, file_name, None, base, path=None if sections else document["path"],
                              **in_repository)
        for section, heading in sections.items():
            if isinstance(heading, str):
                citable[f"{key} §{section}"] = Source(key, section, file_name, heading,
                                                      f"{base}#{github_anchor(heading)}" if on_github else base,
                                                      **in_repository)
    return citable


def _check_sources(raw: Any, declared: tuple[Section, ...], citable: dict[str, Source],
                   problems: list[Problem]) -> None:
    if not isinstance(raw, dict):
        return
    # A catalog may cite nothing: then it lists no documents, and any citation is refused.
    documents, repositories = raw.get("documents", {}), raw.get("repositories", {})
    if not isinstance(documents, dict) or not isinstance(repositories, dict):
        return  # reported by the schema
    for key, document in documents.items():
        if _valid(document, "repository") and document["repository"] not in repositories:
            problems.append(Problem(f"document {key}", "repository",
                                    f"{document['repository']} is not one of the catalog's repositories"))

    def check(entry: str, field: str, text: Any) -> None:
        if not isinstance(text, str) or text in citable or not _SOURCE.fullmatch(text):
            return  # the schema reports a source that is not of the form
        match = _SOURCE.fullmatch(text)
        document = match.group("document")
        if document not in documents:
            problems.append(Problem(entry, field, f"'{text}' names the document '{document}', "
                                    "which is not in the catalog's documents"))
        elif match.group("first") is None:
            problems.append(Problem(entry, field, f"'{text}' names a section that the document "
                                    f"'{document}' does not list under its sections"))
        elif documents[document].get("sections"):
            problems.append(Problem(entry, field, f"'{text}' cites lines of '{document}', which has sections: "
                                    "cite one of them"))
        elif "url" in documents[document]:
            problems.append(Problem(entry, field, f"'{text}' cites lines of '{document}', a web page: cite it "
                                    "whole or by a section"))
        elif document in citable and int(match.group("last") or match.group("first")) < int(match.group("first")):
            problems.append(Problem(entry, field, f"'{text}': its last line comes before its first"))
        elif document in citable:
            repository = repositories.get(documents[document].get("repository"), {})
            citable[text] = _lines_of(citable[document], match.group("first"), match.group("last"), repository)

    for section in declared:
        # A declared section's fixed sentences cite these: a catalog with it must list them.
        try:
            cited = cited_by(section)
        except ValueError as error:
            problems.append(Problem("catalog", "sections", f"'{section.name}': {error}"))
            continue
        for text in cited:
            if text not in citable:
                problems.append(Problem("documents", None, f"'{text}' is cited by the code pages' section "
                                        f"'{section.name}' (field 'sections') and must be listed"))
    for entry, field, text in _citations(raw):
        check(entry, field, text)


def _citations(raw: Any):
    """(entry, field, text) for every source the file cites, wherever it stands."""
    def walk(value: Any, entry: str, path: list[str]):
        if isinstance(value, dict):
            for key, item in value.items():
                if key.endswith("source") and isinstance(item, str):
                    yield entry, ".".join(path + [key]), item
                elif key == "sources" and isinstance(item, list):
                    for index, text in enumerate(item):
                        yield entry, ".".join(path + [key, str(index)]), text
                elif key != "codes":
                    yield from walk(item, entry, path + [str(key)])
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, entry, path + [str(index)])

    for category in _categories(raw):
        yield from walk(category, f"category {category.get('slug')}", [])
        for item in _codes(category):
            yield from walk(item, f"code {item['code']}", [])
    if isinstance(raw, dict):
        yield from walk(raw.get("implementations"), "implementations", [])
        for index, wire in enumerate(raw.get("wire_codes") or [] if isinstance(raw.get("wire_codes"), list) else []):
            label = f"wire code {wire.get('code')}" if isinstance(wire, dict) else f"wire code #{index + 1}"
            yield from walk(wire, label, [])


def _lines_of(file: Source, first: str, last: str | None, repository: dict) -> Source:
    """The lines of a file, addressed as its repository's host addresses them."""
    if last is None or last == first:
        lines, anchor = first, _fill(repository.get("line_anchor", GITHUB_LINE_ANCHOR), first=first)
    else:
        lines = f"{first}-{last}"
        anchor = _fill(repository.get("lines_anchor", GITHUB_LINES_ANCHOR), first=first, last=last)
    return dataclasses.replace(file, url=file.url + anchor, lines=lines)


# 5. The lock ---------------------------------------------------------------------------

def _check_lock(raw: Any, lock_path: Path, problems: list[Problem]) -> None:
    """Published codes are never removed, renamed, re-mapped, or deprecated silently."""
    try:
        published = json.loads(lock_path.read_text(encoding="utf-8"))["codes"]
    except FileNotFoundError:
        problems.append(Problem("lock", None, f"the lock file {lock_path} of published codes is missing: "
                                "every catalog is checked against the codes it has published"))
        return
    except (OSError, ValueError, KeyError, TypeError) as error:
        problems.append(Problem("lock", None, f"the lock file {lock_path} cannot be read: {error}"))
        return
    current = {c["code"]: c for cat in _categories(raw) for c in _codes(cat)}
    for entry in published:
        code = entry.get("code")
        now = current.get(code)
        if now is None:
            problems.append(Problem(f"code {code}", None, f"was published (see {lock_path.name}) and is gone: "
                                    "a code is never removed; deprecate it instead"))
            continue
        for field in ("name", "canonical_code"):
            if now.get(field) != entry.get(field):
                problems.append(Problem(f"code {code}", field, f"was published as {entry.get(field)!r} and is "
                                        f"now {now.get(field)!r}: a published code keeps its {field}"))
        if now.get("deprecated_in") != entry.get("deprecated_in"):
            problems.append(Problem(f"code {code}", "deprecated_in", f"is {now.get('deprecated_in')!r} here "
                                    f"and {entry.get('deprecated_in')!r} in {lock_path.name}: record a "
                                    "deprecation in both"))


# Building ------------------------------------------------------------------------------

def _build(raw: dict[str, Any], declared: tuple[Section, ...], citable: dict[str, Source]) -> Catalog:
    categories: list[Category] = []
    codes: list[ErrorCode] = []
    code_format = CodeFormat.declared(raw["code_format"])
    section_fields = page_sections.code_fields(declared)
    # By digit where categories have one; in the file's order otherwise (sorted is stable).
    for category_raw in sorted(raw["categories"], key=lambda c: c.get("digit", 0)):
        category = Category(**{k: v for k, v in category_raw.items() if k not in ("codes", "sources", "variants")},
                            sources=tuple(citable[s] for s in category_raw.get("sources", ())),
                            variants=_variants(category_raw, citable), range=code_format.range_of(category_raw.get("digit")),
                            span=code_format.span_of(category_raw.get("digit")))
        categories.append(category)
        for item in category_raw["codes"]:
            example = item.get("example")
            codes.append(ErrorCode(
                code=item["code"],
                number=code_format.number(item["code"]),
                name=item["name"],
                category=category,
                http_status=item["http_status"],
                canonical_code=item.get("canonical_code"),
                canonical_absent=item.get("canonical_absent"),
                description=item["description"],
                retryable=item.get("retryable"),
                added_in=item.get("added_in"),
                resolution=item["resolution"],
                related=tuple(item.get("related", ())),
                fields={name: item[name] for name in section_fields if name in item},
                example=Example(
                    message=example["message"],
                    details=example.get("details"),
                    headers=dict(example.get("headers", {})),
                    error_type=example.get("error_type"),
                ) if example else None,
                deprecated_in=item.get("deprecated_in"),
                replaced_by=item.get("replaced_by"),
                sources=tuple(citable[s] for s in item.get("sources", ())),
                variants=_variants(item, citable),
                surfaces=surfaces(declared, item),
                surfaces_note=item.get("surfaces_note"),
                in_practice=tuple(PracticeNote(n["note"], tuple(citable[t] for t in n["sources"]))
                                  for n in item.get("in_practice", ())),
            ))
    meta = raw["catalog"]
    return Catalog(
        title=meta["title"],
        version=meta.get("version"),
        status=meta.get("status"),
        date=meta.get("date"),
        specification_url=meta.get("specification_url"),
        description=meta.get("description"),
        # What the pages call the sources, where the catalog says: else the model's defaults.
        **{key: meta[key] for key in ("sources_are", "documents_are", "sources_title", "variant_documents_are",
                                      "raised_by", "feed_for", "wire_codes_intro") if key in meta},
        example_code=meta.get("example_code"),
        publisher=meta.get("publisher", meta["title"]),
        code_format=code_format,
        sections=declared,
        retryability={k: RetryabilityLevel(**v) for k, v in raw.get("retryability", {}).items()},
        canonical_absent_reasons=dict(raw.get("canonical_absent_reasons", {})),
        envelope=raw.get("envelope"),
        categories=tuple(categories),
        # By category, then in the file's order: Previous and Next stay within a category, in
        # the order its author wrote (codes need not sort as text or have numbers).
        codes=tuple(codes),
        documents=citable,
        implementations=_implementations(raw["implementations"], citable) if "implementations" in raw else None,
        wire_codes=tuple(WireCode(w["code"], w.get("page", w["code"]), w["about"], tuple(w["means"]),
                                  tuple(citable[t] for t in w["sources"])) for w in raw.get("wire_codes", ())),
    )


def _implementations(raw: dict, citable: dict[str, Source]) -> Implementations:
    def raised(entry: dict) -> Raised:
        texts = entry["text"]
        return Raised(tuple(entry["means"]), (texts,) if isinstance(texts, str) else tuple(texts), entry["when"],
                      tuple(citable[t] for t in entry["sources"]), entry.get("error"), entry.get("sends"))

    sdks = tuple(Sdk(
        id=sdk["id"], label=sdk["label"], types_are=sdk["types_are"], constants=tuple(sdk.get("constants", ())),
        constants_source=citable[sdk["constants_source"]] if "constants_source" in sdk else None,
        error=sdk["error"], shown_as=sdk["shown_as"],
        prints=sdk["prints"], prints_source=citable[sdk["prints_source"]], catch=sdk["catch"],
        types=tuple(SdkType(t["name"], tuple(t["wire"]) if "wire" in t else None,
                            tuple(t["status"]) if "status" in t else None, t.get("code"), "code" in t, t["catch"],
                            citable[t["source"]], t.get("message")) for t in sdk["types"]),
        unreadable=Unreadable(sdk["unreadable"]["wire"], sdk["unreadable"]["message"],
                              citable[sdk["unreadable"]["source"]], sdk["unreadable"].get("error"))
        if "unreadable" in sdk else None,
        client=tuple(raised(e) for e in sdk.get("client", ())), worker=tuple(raised(e) for e in sdk.get("worker", ())),
        grpc=tuple(GrpcMapping(g["status"], g["name"], citable[g["source"]]) for g in sdk.get("grpc", ())),
        shown_as_source=citable[sdk["shown_as_source"]] if "shown_as_source" in sdk else None,
        notes=tuple(PracticeNote(n["note"], tuple(citable[t] for t in n["sources"])) for n in sdk.get("notes", ())),
        language_errors=tuple(sdk.get("language_errors", ())),
        logs=tuple(raised(e) for e in sdk.get("logs", ())),
        wire_constants=tuple(sdk["wire_constants"]["names"]) if "wire_constants" in sdk else (),
        wire_constant_codes=tuple(sdk["wire_constants"]["wires"]) if "wire_constants" in sdk else (),
        wire_constants_source=citable[sdk["wire_constants"]["source"]] if "wire_constants" in sdk else None,
    ) for sdk in raw["sdks"])
    return Implementations(_backends(raw["backends"], citable) if "backends" in raw else None, sdks,
                           **({"error_body": raw["error_body"]} if "error_body" in raw else {}))


def _backends(backends: dict, citable: dict[str, Source]) -> Backends:
    statuses = dict(backends["statuses"])
    messages = tuple(BackendMessage(
        wire=m["wire"], status=statuses.get(m["wire"]), text=m["text"], when=m["when"], means=tuple(m["means"]),
        narrowed_by={name: {value: tuple(codes) for value, codes in values.items()}
                     for name, values in m.get("narrowed_by", {}).items()},
        source=citable[m["source"]]) for m in backends["messages"])
    grpc = backends["grpc"]
    return Backends(backends["label"], backends["about"], tuple(citable[t] for t in backends["sources"]), statuses,
                    messages, grpc["text"], grpc["about"], citable[grpc["source"]], dict(grpc.get("statuses", {})),
                    **({"called": backends["called"]} if "called" in backends else {}))


def _variants(item: dict, citable: dict[str, Source]) -> tuple[Variant, ...]:
    return tuple(Variant(source=citable[v["source"]], code=v.get("code"), http_status=v.get("http_status"),
                         grpc_status=v.get("grpc_status"), note=v.get("note"))
                 for v in item.get("variants", ()))
