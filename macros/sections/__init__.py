"""The optional sections of a code page, which a catalog declares by name (`sections` in its
file). A catalog brings its own in the folder `sections/` beside its file, the way MkDocs
loads hooks: a module NAME.py, its templates beside it. The engine has one of its own here,
`clients`. A section's module says where on the page its templates stand (TEMPLATES) and
what they write (values); what a section cites is read from its templates."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import jinja2
from jinja2 import nodes

from ..model import Catalog, ErrorCode

ENGINE_FOLDER = Path(__file__).resolve().parent
ENGINE_SECTIONS = ("clients",)
# Where a catalog's own sections are, beside its file.
CATALOG_FOLDER = "sections"

# The places on a code page a section may fill: what "Where it surfaces" says, what the
# implementations do otherwise, an example after it, and the clients after the examples.
# A section's template "files", if any, opens the sources page's list of files instead.
PLACES = ("surfaces", "practice", "example", "clients")
TEMPLATE_KEYS = PLACES + ("files",)

# The fields of a code that only a page section shows. The schema holds them; a catalog may
# give one only where a section it declares shows it (the section's CODE_FIELDS).
CODE_FIELDS = ("grpc_status", "amqp", "surfaces", "in_practice")

# What a section's template is called in the render environment: this, then its file's path.
TEMPLATE_PREFIX = "section:"


@dataclass(frozen=True)
class Section:
    name: str
    file: Path  # the module; its templates are beside it
    module: ModuleType = field(compare=False, repr=False)

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
            found.append(Section(name, file, module))
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
    return None


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


def status_fact(catalog: Catalog, code: ErrorCode) -> tuple[str, str] | None:
    """What a declared section says of the code's HTTP status where the status alone would
    mislead (an error kept in a job's history, say), or None."""
    for section in catalog.sections:
        said = getattr(section.module, "status_fact", None)
        if said is not None and (fact := said(code)) is not None:
            return fact
    return None


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
