"""A catalog brings its own page sections (issue 18, item 2), the way MkDocs loads hooks: a
module in the folder `sections/` beside its file, its templates beside it. The section here
is a test fixture added to the Jobs Service's catalog: a line on each code page saying whom
to ask."""

from __future__ import annotations

import html
import os

import pytest
from hypothesis import HealthCheck, given, settings

from bench.synthetic import write_catalog
from conftest import CATALOGS, BuiltSite, build_site, read_catalog, text_of
from macros import render, sections
from macros.catalog import CatalogError, load_catalog
from test_text_safety import NO_BACKTICK_TEXT, fold, skeleton, to_html

JOBS_FILE = CATALOGS["jobs-service"][1]
ERRORS_URL = "https://jobs.example.com/errors/"
NOT_FOUND = "ERR_JOBS_NOT_FOUND"
# What the section writes holds markup and template syntax: it is shown as text.
SUPPORT_MODULE = '''
TEMPLATES = {"practice": "support.md.j2"}


def values(catalog, code, doc_url):
    return {"support_line": f"Quote {code.code} to <b>support</b> {{{{ and }}}} *{WORD}*."}
'''
SUPPORT_TEMPLATE = "\n## Who to ask { data-search-exclude }\n\n{{ support_line }}\n"


def with_section(tmp_path, module: str = SUPPORT_MODULE.replace("{WORD}", "soon"),
                 templates: dict[str, str] | None = None, declared=("support",), change=lambda raw: None):
    """The Jobs catalog in tmp_path, declaring `declared`, with the module support.py beside it."""
    raw = read_catalog(JOBS_FILE)
    raw["sections"] = list(declared)
    change(raw)
    path = write_catalog(raw, tmp_path / "catalog.yaml")
    folder = tmp_path / "sections"
    folder.mkdir(exist_ok=True)
    (folder / "support.py").write_text(module, encoding="utf-8")
    for name, text in (templates if templates is not None else {"support.md.j2": SUPPORT_TEMPLATE}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return path


def test_a_catalog_shows_a_section_it_brings_as_text(tmp_path):
    catalog = load_catalog(with_section(tmp_path))
    assert [(s.name, s.file) for s in catalog.sections] == [("support", tmp_path / "sections" / "support.py")]
    page = render.code_page(catalog, catalog.code(NOT_FOUND), ERRORS_URL)
    assert "## Who to ask" in page
    line = page.split("## Who to ask { data-search-exclude }\n\n")[1].split("\n")[0]
    assert html.unescape(line) == f"Quote {NOT_FOUND} to <b>support</b> {{{{ and }}}} *soon*."
    assert [syntax for syntax in ("<", "{{", "*") if syntax in line] == []
    # The other codes of the catalog have it too; a catalog that does not declare it has none.
    assert all("## Who to ask" in render.code_page(catalog, code, ERRORS_URL) for code in catalog.codes)
    bare = load_catalog(with_section(tmp_path / "bare", declared=()))
    assert "## Who to ask" not in render.code_page(bare, bare.code(NOT_FOUND), ERRORS_URL)


def test_a_site_built_with_a_section_of_its_own_shows_it(tmp_path):
    config, _, site_url = CATALOGS["jobs-service"]
    result = build_site(tmp_path / "site", with_section(tmp_path), site_url=site_url, config=config)
    assert result.returncode == 0, result.stdout + result.stderr
    heading = BuiltSite(tmp_path / "site").soup(f"errors/{NOT_FOUND}/").find("h2", id="who-to-ask")
    assert text_of(heading.find_next_sibling("p")) == f"Quote {NOT_FOUND} to <b>support</b> {{{{ and }}}} *soon*."


def test_a_section_is_read_again_when_its_file_changes(tmp_path):
    """make serve rebuilds with the section as it is now, not as it was first loaded."""
    path = with_section(tmp_path)
    first = load_catalog(path)
    module = tmp_path / "sections" / "support.py"
    module.write_text(SUPPORT_MODULE.replace("{WORD}", "later"), encoding="utf-8")
    stat = module.stat()
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = load_catalog(path)
    assert "soon" in render.code_page(first, first.code(NOT_FOUND), ERRORS_URL)
    assert "later" in render.code_page(second, second.code(NOT_FOUND), ERRORS_URL)


def test_a_section_template_is_read_again_when_it_changes(tmp_path):
    path = with_section(tmp_path)
    catalog = load_catalog(path)
    assert "## Who to ask" in render.code_page(catalog, catalog.code(NOT_FOUND), ERRORS_URL)
    template = tmp_path / "sections" / "support.md.j2"
    template.write_text(SUPPORT_TEMPLATE.replace("Who to ask", "Whom to ask"), encoding="utf-8")
    stat = template.stat()
    os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert "## Whom to ask" in render.code_page(catalog, catalog.code(NOT_FOUND), ERRORS_URL)


def _surfaces_on_first_code(raw):
    raw["categories"][0]["codes"][0]["surfaces"] = "history"


@pytest.mark.parametrize("arguments, words", [
    ({"declared": ("helpdesk",)}, "'helpdesk' is neither a file {folder}/helpdesk.py nor one of the engine's "
                                  "sections (clients)"),
    ({"module": "import no_such_module_here\n"},
     "'support': {folder}/support.py could not be loaded: ModuleNotFoundError: No module named 'no_such_module_here'"),
    ({"module": "def values(catalog, code, doc_url):\n    return {}\n"},
     "'support': {folder}/support.py: has no TEMPLATES"),
    ({"templates": {}}, "'support': {folder}/support.py: its template support.md.j2 is not beside it"),
    ({"module": 'TEMPLATES = {"sidebar": "support.md.j2"}\ndef values(c, code, u):\n    return {}\n'},
     "TEMPLATES names 'sidebar'; a section fills surfaces, practice, example, clients, files"),
    ({"module": 'TEMPLATES = {"practice": "support.md.j2"}\n'}, "has no values(catalog, code, doc_url)"),
    ({"module": SUPPORT_MODULE.replace("{WORD}", "x") + 'CODE_FIELDS = ("mood",)\n'},
     "CODE_FIELDS names mood; a code's section fields are surfaces, in_practice"),
    ({"templates": {"support.md.j2": "{{ cite(which) }}"}},
     "'support': {folder}/support.md.j2: cite() takes one source written out"),
    ({"templates": {"support.md.j2": "{% if %}"}},
     "'support': {folder}/support.md.j2, line 1: Expected an expression"),
    ({"declared": ("support", "clients"),
      "module": 'TEMPLATES = {"clients": "support.md.j2"}\ndef values(c, code, u):\n    return {}\n',
      "change": lambda raw: raw.update(implementations={"sdks": []})},
     "'support' and 'clients' both show the code pages' clients: declare one"),
    ({"declared": ("clients",)}, "'clients' shows what 'implementations' holds, which the catalog lacks"),
    ({"change": _surfaces_on_first_code}, None),
], ids=["unknown", "import fails", "no templates", "template missing", "unknown place", "no values",
        "unknown code field", "cite not written out", "template syntax", "two clients", "needs", "field unshown"])
def test_a_section_that_cannot_be_shown_is_refused_naming_its_file(tmp_path, arguments, words):
    with pytest.raises(CatalogError) as caught:
        load_catalog(with_section(tmp_path, **arguments))
    problems = caught.value.problems
    if words is None:  # a code's section field, which no declared section shows
        first = read_catalog(JOBS_FILE)["categories"][0]["codes"][0]["code"]
        assert [(p.entry, p.field, p.problem) for p in problems] == [
            (f"code {first}", "surfaces", "is not allowed: no page section the catalog declares shows it (sections)")]
        return
    assert [(p.entry, p.field) for p in problems] == [("catalog", "sections")]
    assert words.format(folder=tmp_path / "sections") in problems[0].problem
    assert str(tmp_path / "catalog.yaml") in str(caught.value)


def test_a_catalog_section_may_not_take_the_name_of_the_engines(tmp_path):
    path = with_section(tmp_path, declared=("clients",), change=lambda raw: raw.update(implementations={"sdks": []}))
    (tmp_path / "sections" / "support.py").rename(tmp_path / "sections" / "clients.py")
    with pytest.raises(CatalogError, match="'clients' is both the engine's section and .*clients.py: give yours "
                                           "another name"):
        load_catalog(path)


def test_a_section_allows_the_code_fields_it_shows(tmp_path):
    module = (SUPPORT_MODULE.replace("{WORD}", "x") + 'CODE_FIELDS = ("surfaces",)\nSURFACES = ("history",)\n'
              + 'def surfaces(item):\n    return item.get("surfaces", "http")\n')
    catalog = load_catalog(with_section(tmp_path, module=module, change=_surfaces_on_first_code))
    first = read_catalog(JOBS_FILE)["categories"][0]["codes"][0]["code"]
    assert [code.code for code in catalog.codes if code.surfaces == "history"] == [first]


def test_the_engine_has_only_the_sections_it_names():
    assert sorted(p.stem for p in sections.ENGINE_FOLDER.glob("*.py") if p.stem != "__init__") == \
        sorted(sections.ENGINE_SECTIONS)


# A section whose text the test sets, to show generated text through it.
SETTABLE_MODULE = '''
TEMPLATES = {"practice": "support.md.j2"}
TEXT = "Plain words."


def values(catalog, code, doc_url):
    return {"support_line": TEXT}
'''


@pytest.fixture(scope="module")
def settable(tmp_path_factory):
    catalog = load_catalog(with_section(tmp_path_factory.mktemp("settable"), module=SETTABLE_MODULE))
    page = render.code_page(catalog, catalog.code(NOT_FOUND), ERRORS_URL)
    return catalog, skeleton(to_html(page))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NO_BACKTICK_TEXT)
def test_what_a_section_writes_is_shown_as_text_whatever_it_holds(settable, value):
    """Like catalog text (tests/test_text_safety.py): a section's values add no element or
    attribute to the page, and the page shows them as written."""
    catalog, plain = settable
    module = catalog.sections[0].module
    try:
        module.TEXT = value
        html = to_html(render.code_page(catalog, catalog.code(NOT_FOUND), ERRORS_URL))
    finally:
        module.TEXT = "Plain words."
    assert skeleton(html) == plain
    assert fold(html.find("h2", id="who-to-ask").find_next_sibling("p").get_text()) == fold(value)
