"""A code page's OJS sections come from the catalog's declaration (`sections`): a catalog
that declares none gets none, and need not list the OJS documents they cite (issue 18,
item 2)."""

from __future__ import annotations

import pytest

from bench.synthetic import write_catalog
from conftest import CODES, read_catalog
from macros import render
from macros.catalog import SECTION_SOURCES, CatalogError, load_catalog

ERRORS_URL = "https://errors.example/errors/"
# Sections of the OJS documents that only the declared page sections cite, not the data.
ONLY_THE_SECTIONS_CITE = {"transports": ("ojs-http-binding", "4.1"), "sdk": ("error-catalog", "6.3")}


def catalog_with(tmp_path, sections: list[str], drop: list[str] = ()):
    raw = read_catalog()
    raw["sections"] = sections
    for section in drop:
        document, number = ONLY_THE_SECTIONS_CITE[section]
        del raw["documents"][document]["sections"][number]
    path = write_catalog(raw, tmp_path / "catalog.yaml")
    return load_catalog(path, path.parent / "published-codes.json")


def test_the_ojs_catalog_declares_both_sections():
    assert read_catalog()["sections"] == ["transports", "sdk"]
    assert {f"{d} §{n}" for d, n in ONLY_THE_SECTIONS_CITE.values()} <= \
        {text for texts in SECTION_SOURCES.values() for text in texts}


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
    assert [words for words in ("## In your SDK", "HTTP binding", "## Example", "gRPC", "code table")
            if words in without] == []
    assert f"HTTP response with status {entry['http_status']} " in without
    # What every catalog has stays: the fix, the sources, the related codes.
    for heading in ("## How to fix it", "## Sources", "## Related codes"):
        assert heading in without
