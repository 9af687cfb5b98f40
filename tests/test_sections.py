"""A code page's OJS sections come from the catalog's declaration (`sections`) and from its
own folder: a catalog that declares none gets none, and need not list the OJS documents they
cite (issue 18, item 2). How a catalog brings a section: tests/test_catalog_sections.py."""

from __future__ import annotations

import pytest

from bench.synthetic import write_catalog
from conftest import CATALOG_FILE, CODES, read_catalog, surfaces
from macros import render
from macros.catalog import CatalogError, load_catalog
from macros.sections import cited_by

ERRORS_URL = "https://errors.example/errors/"
# Sections of the OJS documents that only the declared page sections cite, not the data.
ONLY_THE_SECTIONS_CITE = {"transports": ("ojs-http-binding", "4.1"), "sdk": ("error-catalog", "6.3")}


def catalog_file_with(tmp_path, declared: list[str], drop: list[str] = ()):
    raw = read_catalog()
    raw["sections"] = declared
    for section in drop:
        document, number = ONLY_THE_SECTIONS_CITE[section]
        del raw["documents"][document]["sections"][number]
    if "transports" not in declared:  # what only the transports section shows
        for category in raw["categories"]:
            for code in category["codes"]:
                for field in ("grpc_status", "amqp", "surfaces"):
                    code.pop(field, None)
    if "sdk" not in declared:  # what only the sdk section shows: the notes on implementations
        for category in raw["categories"]:
            for code in category["codes"]:
                code.pop("in_practice", None)
    return write_catalog(raw, tmp_path / "catalog.yaml")


def catalog_with(tmp_path, declared: list[str], drop: list[str] = ()):
    path = catalog_file_with(tmp_path, declared, drop)
    return load_catalog(path, path.parent / "published-codes.json")


def test_the_ojs_catalog_brings_both_sections_from_its_folder():
    """The OJS sections are the OJS catalog's: its own modules beside its file, not the engine's."""
    catalog = load_catalog(CATALOG_FILE)
    assert [(s.name, s.file) for s in catalog.sections] == \
        [(name, CATALOG_FILE.parent / "sections" / f"{name}.py") for name in read_catalog()["sections"]]
    assert {f"{d} §{n}" for d, n in ONLY_THE_SECTIONS_CITE.values()} <= \
        {text for section in catalog.sections for text in cited_by(section)}


def test_what_a_section_cites_is_read_from_its_templates(tmp_path):
    """A citation added to a section's template is required of every catalog that declares it."""
    path = catalog_file_with(tmp_path, ["transports"])
    module = tmp_path / "sections" / "transports.py"
    example = tmp_path / "sections" / "transports_example.md.j2"
    example.write_text(example.read_text(encoding="utf-8") + '{{ cite("ojs-retry §99") }}\n', encoding="utf-8")
    assert module.is_file()
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert "'ojs-retry §99' is cited by the code pages' section 'transports'" in str(caught.value)


@pytest.mark.parametrize("section", ["transports", "sdk"])
def test_a_declared_section_needs_the_documents_it_cites(tmp_path, section):
    document, number = ONLY_THE_SECTIONS_CITE[section]
    with pytest.raises(CatalogError) as caught:
        catalog_with(tmp_path, [section], drop=[section])
    assert [(p.entry, p.field) for p in caught.value.problems if f"section '{section}'" in p.problem] == \
        [("documents", None)]
    assert f"'{document} §{number}'" in str(caught.value)


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    """The OJS data without the OJS sections, and without the documents only they cite."""
    return catalog_with(tmp_path_factory.mktemp("bare"), [], drop=["transports", "sdk"])


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    return catalog_with(tmp_path_factory.mktemp("full"), ["transports", "sdk"])


@pytest.mark.parametrize("entry", [c for c in CODES if c["code"] in ("OJS-3001", "OJS-1000", "OJS-2001")],
                         ids=lambda c: c["code"])
def test_a_catalog_without_sections_gets_a_page_without_them(bare, full, entry):
    with_sections = render.code_page(full, full.code(entry["code"]), ERRORS_URL)
    without = render.code_page(bare, bare.code(entry["code"]), ERRORS_URL)
    assert "## In your SDK" in with_sections and "HTTP binding" in with_sections
    assert [words for words in ("## In your SDK", "HTTP binding", "## Example", "gRPC", "code table",
                                "reference backends") if words in without] == []
    assert f"HTTP response with status {entry['http_status']} " in without
    # What every catalog has stays: the fix, the sources, the related codes.
    for heading in ("## How to fix it", "## Sources", "## Related codes"):
        assert heading in without


def test_a_catalog_without_the_sdk_section_lists_its_files_without_speaking_of_sdks(bare, full):
    assert "## SDK and backend files { #sdk-files }" in render.sources_page(full)
    without = render.sources_page(bare)
    assert "## Files { #source_files }" in without
    assert [words for words in ("SDK and backend files", "SDK tabs", "reference backends") if words in without] == []


def test_where_a_code_surfaces_is_said_only_by_the_transports_section(bare, full):
    """A client-side code's status is a default in the OJS SDKs' tables: only the transports
    section says so; without it the page gives the status alone."""
    client_side = next(c for c in full.codes if c.surfaces == "client" and c.http_status)
    with_sections = render.code_page(full, client_side, ERRORS_URL)
    without = render.code_page(bare, bare.code(client_side.code), ERRORS_URL)
    assert "as a default in the SDK&#39;s entry" in with_sections  # every value a template writes is escaped
    assert "entry" not in without.split("## How to fix it")[0]


def test_the_loader_asks_the_declared_sections_where_a_code_surfaces(bare, full):
    """The reason `client-side` and a missing status mean something to the transports section
    only: without it, a code with a status is answered with that status, and one without it is
    placed nowhere."""
    assert {c["code"]: surfaces(c) for c in CODES} == {c.code: c.surfaces for c in full.codes}
    assert {c["code"]: "http" if c["http_status"] is not None else None for c in CODES} == \
        {c.code: c.surfaces for c in bare.codes}
    assert any(c["canonical_absent"] == "client-side" and c["http_status"] for c in CODES if "canonical_absent" in c)
