"""The optional sections of a code page, which a catalog declares by name (`sections` in its
file). A catalog brings its own in the folder `sections/` beside its file, the way MkDocs
loads hooks: a module NAME.py, its templates beside it. The engine has one of its own here,
`clients`. A section's module says where on the page its templates stand (TEMPLATES) and
what they write (values); what a section cites is read from its templates. A section may
add fields to a code's entry (FIELDS: a JSON file beside it with each field's schema in the
data file and in catalog.json), say where a code is met (SURFACES, surfaces) and refuse what
it cannot show (check)."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import jinja2
import jsonschema
from jinja2 import nodes

from ..model import Catalog, ErrorCode, Variant

ENGINE_FOLDER = Path(__file__).resolve().parent
ENGINE_SECTIONS = ("clients",)
# Where a catalog's own sections are, beside its file.
CATALOG_FOLDER = "sections"

# The places on a code page a section may fill: what "Where it surfaces" says, what the
# implementations do otherwise, an example after it, and the clients after the examples.
# A section's template "files", if any, opens the sources page's list of files instead.
PLACES = ("surfaces", "practice", "example", "clients")
TEMPLATE_KEYS = PLACES + ("files",)

# The engine's fields of a code that only a page section shows. The schema holds them; a
# catalog may give one only where a section it declares shows it (the section's CODE_FIELDS).
CODE_FIELDS = ("surfaces", "in_practice")

# A section's own fields of a code (its FIELDS file): each with its JSON Schema in the data
# file and in catalog.json, where it follows the code's `related`.
FIELD_SCHEMAS = ("data", "published")
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")
# Where a code is met, as a section names it (SURFACES): written like the schema's keys.
_PLACE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")

# What a section's template is called in the render environment: this, then its file's path.
TEMPLATE_PREFIX = "section:"


@dataclass(frozen=True)
class Section:
    name: str
    file: Path  # the module; its templates are beside it
    module: ModuleType = field(compare=False, repr=False)
    # Its own fields of a code: {name: {"data": schema, "published": schema}}, in its file's order.
    fields: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False, repr=False)

    def template(self, key: str) -> str | None:
        """The render environment's name for the section's template `key`, if it has one."""
        name = self.module.TEMPLATES.get(key)
        return f"{TEMPLATE_PREFIX}{self.file.parent / name}" if name else None

    @property
    def template_files(self) -> list[Path]:
        return [self.file.parent / name for name in self.module.TEMPLATES.values()]

    @property
    def code_fields(self) -> tuple[str, ...]:
        return tuple(getattr(self.module, "CODE_FIELDS", ()))

    @property
    def needs(self) -> tuple[str, ...]:
        """The parts of the catalog file the section shows, which a catalog declaring it must have."""
        return tuple(getattr(self.module, "NEEDS", ()))

    @property
    def met_at(self) -> tuple[str, ...]:
        """The places other than a response with its HTTP status where it says a code is met."""
        return tuple(getattr(self.module, "SURFACES", ()))

    def check(self, item: dict[str, Any]) -> list[tuple[str, str]]:
        """What the section refuses in a code's entry, as (field, problem): the entry as the
        file has it, whose shape the schema may already have refused."""
        checked = getattr(self.module, "check", None)
        return list(checked(item)) if checked is not None else []


class TemplateLoader(jinja2.BaseLoader):
    """The declared sections' templates, by the names Section.template gives them."""

    def get_source(self, environment: jinja2.Environment, template: str):
        path = Path(template.removeprefix(TEMPLATE_PREFIX))
        if not template.startswith(TEMPLATE_PREFIX) or path.suffix != ".j2" or not path.is_file():
            raise jinja2.TemplateNotFound(template)
        modified = path.stat().st_mtime_ns
        return (path.read_text(encoding="utf-8"), str(path),
                lambda: path.is_file() and path.stat().st_mtime_ns == modified)


def resolve(catalog_folder: Path, names: list[Any], report: Callable[[str], None]) -> tuple[Section, ...]:
    """The sections a catalog declares: its own (sections/NAME.py beside its file), else the
    engine's. What cannot be found or loaded is reported, and left out."""
    found: list[Section] = []
    for name in names:
        if not isinstance(name, str):
            continue  # the schema reports it
        own = catalog_folder / CATALOG_FOLDER / f"{name}.py"
        is_own, is_engines = own.is_file(), name in ENGINE_SECTIONS
        if is_own and is_engines:
            report(f"'{name}' is both the engine's section and {own}: give yours another name")
        elif is_own or is_engines:
            file = own.resolve() if is_own else ENGINE_FOLDER / f"{name}.py"
            try:
                module = (_load(file, file.stat().st_mtime_ns) if is_own
                          else importlib.import_module(f"{__name__}.{name}"))
            except Exception as error:  # a catalog's own code: whatever it raises is its problem
                report(f"'{name}': {file} could not be loaded: {type(error).__name__}: {error}")
                continue
            if (problem := _problem_of(module)) is not None:
                report(f"'{name}': {file}: {problem}")
                continue
            try:
                fields = _fields_of(module)
            except ValueError as error:
                report(f"'{name}': {error}")
                continue
            found.append(Section(name, file, module, fields))
        else:
            report(f"'{name}' is neither a file {own} nor one of the engine's sections "
                   f"({', '.join(ENGINE_SECTIONS)})")
    return tuple(found)


def _load(file: Path, modified: int) -> ModuleType:
    """A catalog's section module, loaded again when its file changes (make serve)."""
    key = (file, modified)
    if key not in _loaded:
        digest = hashlib.sha256(f"{file}:{modified}".encode()).hexdigest()[:16]
        spec = importlib.util.spec_from_file_location(f"catalog_section_{digest}_{file.stem}", file)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses and pickling look their module up here
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[spec.name]
            raise
        _loaded[key] = module
    return _loaded[key]


_loaded: dict[tuple[Path, int], ModuleType] = {}


def _problem_of(module: ModuleType) -> str | None:
    """What keeps a loaded module from being a section, or None."""
    templates = getattr(module, "TEMPLATES", None)
    if not isinstance(templates, dict) or not templates:
        return "has no TEMPLATES (where on the page its templates stand)"
    if unknown := sorted(set(templates) - set(TEMPLATE_KEYS)):
        return f"TEMPLATES names {', '.join(map(repr, unknown))}; a section fills {', '.join(TEMPLATE_KEYS)}"
    folder = Path(module.__file__).parent
    if missing := [name for name in templates.values() if not (folder / str(name)).is_file()]:
        return f"its template {missing[0]} is not beside it"
    if not callable(getattr(module, "values", None)):
        return "has no values(catalog, code, doc_url)"
    if unknown := sorted(set(getattr(module, "CODE_FIELDS", ())) - set(CODE_FIELDS)):
        return f"CODE_FIELDS names {', '.join(unknown)}; a code's section fields are {', '.join(CODE_FIELDS)}"
    places = getattr(module, "SURFACES", ())
    if not isinstance(places, tuple) or not all(isinstance(p, str) and _PLACE.fullmatch(p) for p in places):
        return "SURFACES is not a tuple of places written like job-state"
    if "surfaces" in getattr(module, "CODE_FIELDS", ()) and not places:
        return "CODE_FIELDS names surfaces, but SURFACES names no place a code may be met"
    if not isinstance(getattr(module, "FIELDS", ""), str):
        return "FIELDS is not the name of a JSON file beside it"
    return None


def _fields_of(module: ModuleType) -> dict[str, dict[str, Any]]:
    """The fields a section adds to a code's entry, from its FIELDS file. ValueError says what
    is wrong, naming the file."""
    if getattr(module, "FIELDS", None) is None:
        return {}
    path = Path(module.__file__).parent / module.FIELDS
    if not path.is_file():
        raise ValueError(f"its FIELDS file {path} is not beside it")
    try:
        fields = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"{path} is not JSON: {error}") from None
    if not isinstance(fields, dict) or not fields:
        raise ValueError(f"{path}: give an object that names each field a code may have")
    for name, schemas in fields.items():
        if not _FIELD_NAME.fullmatch(name):
            raise ValueError(f"{path}: {name!r} is not a field name (lower case, digits and _)")
        if not isinstance(schemas, dict) or sorted(schemas) != sorted(FIELD_SCHEMAS):
            raise ValueError(f"{path}: '{name}': give its JSON Schema in the data file ('data') "
                             "and in catalog.json ('published'), and nothing else")
        for which in FIELD_SCHEMAS:
            try:
                jsonschema.Draft202012Validator.check_schema(schemas[which])
            except jsonschema.SchemaError as error:
                raise ValueError(f"{path}: '{name}'.{which} is no JSON Schema: {error.message}") from None
    return fields


def code_fields(declared: tuple[Section, ...]) -> dict[str, dict[str, Any]]:
    """The declared sections' own fields of a code, in the order they declare them."""
    return {name: schemas for section in declared for name, schemas in section.fields.items()}


def met_at(declared: tuple[Section, ...]) -> list[str]:
    """Every place the declared sections say a code may be met, beside a response ("http")."""
    return [*dict.fromkeys(place for section in declared for place in section.met_at)]


def places(declared: tuple[Section, ...]) -> dict[str, list[str]]:
    """For each place on a code page, the templates that the declared sections put there."""
    return {place: [name for section in declared if (name := section.template(place))] for place in PLACES}


def files_intro(declared: tuple[Section, ...]) -> str | None:
    """The template that opens the sources page's list of files, where a declared section has
    one (one whose tabs link the files); the page's own words otherwise."""
    return next((name for section in declared if (name := section.template("files"))), None)


def values(catalog: Catalog, code: ErrorCode, doc_url: str) -> dict[str, Any]:
    """What the declared sections' templates write for this code, beyond what every page has."""
    found: dict[str, Any] = {}
    for section in catalog.sections:
        found.update(section.module.values(catalog, code, doc_url))
    return found


def surfaces(declared: tuple[Section, ...], item: dict[str, Any]) -> str | None:
    """Where a reader meets the code (a code's entry in the data file): what a declared section
    says, else "http" for a code with an HTTP status. The loader asks, so that what reads it
    (the client views, the wire-code pages) need not know the sections."""
    for section in declared:
        said = getattr(section.module, "surfaces", None)
        if said is not None:
            return said(item)
    return "http" if item.get("http_status") is not None else None


def client_word(catalog: Catalog) -> str:
    """What the declared sections call a client library on the pages, else "client"."""
    for section in catalog.sections:
        if word := getattr(section.module, "CLIENT_WORD", None):
            return word
    return "client"


def sent_as_cataloged(catalog: Catalog) -> bool:
    """Whether a declared section shows a code as the server sends what the catalog gives it."""
    return any(getattr(section.module, "SENT_AS_CATALOGED", False) for section in catalog.sections)


def _first_answer(catalog: Catalog, hook: str, code: ErrorCode) -> Any:
    """The first answer other than None that a declared section's function `hook` gives for
    the code, or None."""
    for section in catalog.sections:
        ask = getattr(section.module, hook, None)
        if ask is not None and (answer := ask(code)) is not None:
            return answer
    return None


def sent_variant(catalog: Catalog, code: ErrorCode) -> Variant | None:
    """The variant whose wire code a declared section says servers send for the code where no
    server message says what they send, or None."""
    return _first_answer(catalog, "sent_variant", code)


def status_fact(catalog: Catalog, code: ErrorCode) -> tuple[str, str] | None:
    """What a declared section says of the code's HTTP status where the status alone would
    mislead (an error kept in a job's history, say), or None."""
    return _first_answer(catalog, "status_fact", code)


def cited_by(section: Section) -> tuple[str, ...]:
    """The sources a section's templates cite by name ({{ cite("spec §5.1") }}), which a
    catalog that declares the section must list in its documents. ValueError names the
    template that cannot be read."""
    environment = jinja2.Environment()
    cited: list[str] = []
    for template in section.template_files:
        try:
            tree = environment.parse(template.read_text(encoding="utf-8"))
        except jinja2.TemplateSyntaxError as error:
            raise ValueError(f"{template}, line {error.lineno}: {error.message}") from None
        for call in tree.find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name == "cite":
                if len(call.args) != 1 or not isinstance(call.args[0], nodes.Const):
                    raise ValueError(f"{template}: cite() takes one source written out")
                cited.append(call.args[0].value)
    return tuple(dict.fromkeys(cited))
