"""A catalog needs a field only because of what it declares: retryability levels make every
code's `retryable` required, a version its `added_in`, required sources its `sources`, a
category part in the code pattern each category's `digit`. A catalog that declares none of
them may not give them either, so nothing is claimed that the catalog does not back.

Each case changes one catalog of the repository and expects one problem, naming the entry
and the field.
"""

from __future__ import annotations

import copy
import shutil

import pytest
import yaml

from bench.synthetic import copy_sections
from conftest import CATALOGS, read_catalog
from macros import render
from macros.catalog import CatalogError, load_catalog

OJS_FILE, JOBS_FILE = CATALOGS["ojs"][1], CATALOGS["jobs-service"][1]


def changed(tmp_path, source, change):
    """The catalog in `source` changed, as a file in tmp_path with the lock beside it."""
    raw = copy.deepcopy(read_catalog(source))
    change(raw)
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(source.parent / "published-codes.json", tmp_path / "published-codes.json")
    copy_sections(source, path)
    return path


def problems(tmp_path, source, change) -> list[tuple[str, str | None, str]]:
    path = changed(tmp_path, source, change)
    try:
        load_catalog(path, tmp_path / "published-codes.json")
    except CatalogError as error:
        return [(p.entry, p.field, p.problem) for p in error.problems]
    return []


def first_code(raw: dict) -> dict:
    return raw["categories"][0]["codes"][0]


def first_without_wire_code(raw: dict) -> dict:
    return next(c for category in raw["categories"] for c in category["codes"] if "canonical_absent" in c)


OJS_WITHOUT_WIRE_CODE = first_without_wire_code(read_catalog(OJS_FILE))["code"]


CASES = {
    "a code without retryability where levels are declared": (
        OJS_FILE, lambda raw: first_code(raw).pop("retryable"),
        ("code OJS-1000", "retryable", "is required: the catalog declares retryability levels")),
    "a code with retryability where none are declared": (
        JOBS_FILE, lambda raw: first_code(raw).update(retryable="no"),
        ("code ERR_JOBS_MISSING_TENANT_ID", "retryable", "is not allowed: the catalog declares no retryability levels")),
    "a category without its default where levels are declared": (
        OJS_FILE, lambda raw: raw["categories"][0].pop("default_retryable"),
        ("category client", "default_retryable", "is required: the catalog declares retryability levels")),
    "a code without added_in in a versioned catalog": (
        OJS_FILE, lambda raw: first_code(raw).pop("added_in"),
        ("code OJS-1000", "added_in", "is required: the catalog has a version (catalog.version)")),
    "a code with added_in in a catalog without versions": (
        JOBS_FILE, lambda raw: first_code(raw).update(added_in="1.0.0"),
        ("code ERR_JOBS_MISSING_TENANT_ID", "added_in", "is not allowed: the catalog has no version (catalog.version)")),
    "a code without sources where sources are required": (
        OJS_FILE, lambda raw: first_code(raw).pop("sources"),
        ("code OJS-1000", "sources", "is required: the catalog requires sources (sources_required)")),
    "a category without a digit where codes carry one": (
        OJS_FILE, lambda raw: raw["categories"][1].pop("digit"),
        ("category server", "digit", "is required: the catalog's code_format.pattern has a category part")),
    "a category with a retry rule where no levels are declared": (
        JOBS_FILE, lambda raw: raw["categories"][0].update(retry_rule="Retry after a second."),
        ("category api", "retry_rule", "is not allowed: the catalog declares no retryability levels")),
    "a code with a gRPC status where the code pages have no transports section": (
        JOBS_FILE, lambda raw: first_code(raw).update(grpc_status="UNAUTHENTICATED"),
        ("code ERR_JOBS_MISSING_TENANT_ID", "grpc_status", "is not a known field")),
    "a code that says where it surfaces where the code pages have no transports section": (
        JOBS_FILE, lambda raw: first_code(raw).update(surfaces="workflow"),
        ("code ERR_JOBS_MISSING_TENANT_ID", "surfaces",
         "is not allowed: no page section the catalog declares shows it (sections)")),
    "a code without a wire code for a reason the catalog does not declare": (
        OJS_FILE, lambda raw: first_without_wire_code(raw).update(canonical_absent="elsewhere"),
        (f"code {OJS_WITHOUT_WIRE_CODE}", "canonical_absent",
         "'elsewhere' is not one of the catalog's canonical_absent_reasons (client-side, server, generic)")),
    "a deprecation notice's words in a catalog without versions": (
        JOBS_FILE, lambda raw: raw["catalog"].update(raised_by="the service"),
        ("catalog", "raised_by", "is not allowed: the catalog has no version (catalog.version)")),
    "a changelog feed's readers in a catalog without versions": (
        JOBS_FILE, lambda raw: raw["catalog"].update(feed_for="integrators"),
        ("catalog", "feed_for", "is not allowed: the catalog has no version (catalog.version)")),
    "a wire codes page's opening in a catalog without wire codes": (
        JOBS_FILE, lambda raw: raw["catalog"].update(wire_codes_intro="Wire codes."),
        ("catalog", "wire_codes_intro", "is not allowed: the catalog has no wire_codes")),
    "an example code that is no code": (
        JOBS_FILE, lambda raw: raw["catalog"].update(example_code="ERR_JOBS_NOWHERE"),
        ("catalog", "example_code", "ERR_JOBS_NOWHERE is not a code in this catalog")),
    "a citation in a catalog that lists no documents": (
        JOBS_FILE, lambda raw: first_code(raw).update(sources=["jobs-reference §1"]),
        ("code ERR_JOBS_MISSING_TENANT_ID", "sources.0",
         "'jobs-reference §1' names the document 'jobs-reference', which is not in the catalog's documents")),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_field_is_required_or_refused_by_what_the_catalog_declares(tmp_path, case):
    source, change, expected = CASES[case]
    found = problems(tmp_path, source, change)
    # A digit the categories lack also takes their codes out of range: the digit's problem is there.
    assert expected in found and (len(found) == 1 or expected[1] == "digit"), found


def test_notes_on_what_implementations_do_are_refused_where_the_code_pages_have_no_sdk_section(tmp_path):
    """Only the sdk section shows a code's in_practice notes; the implementations themselves
    stay, for the search box and the forms of a code."""
    because = "is not allowed: no page section the catalog declares shows it (sections)"
    noted = [f"code {c['code']}" for category in read_catalog(OJS_FILE)["categories"] for c in category["codes"]
             if "in_practice" in c]
    found = problems(tmp_path, OJS_FILE, lambda raw: raw.update(sections=["transports"]))
    assert noted and sorted(found) == sorted((entry, "in_practice", because) for entry in noted)


@pytest.mark.parametrize("name, accepted", [("Quota & Rate Limit", True), ("Quota &amp; Rate", False),
                                            ("Quota &#38; Rate", False), ("A <b>", False), ("Quota &", True)])
def test_a_category_name_may_hold_an_ampersand_that_is_no_character_reference(tmp_path, name, accepted):
    found = problems(tmp_path, JOBS_FILE, lambda raw: raw["categories"][0].update(name=name))
    assert (found == []) is accepted, found


def with_web_page(raw: dict) -> None:
    """The Jobs catalog citing a web page: whole for one code, by a section for another."""
    raw["documents"] = {"reference": {"url": "https://docs.jobs.example/errors", "title": "Jobs error reference",
                                      "sections": {"2": "2. Error response format"}}}
    first_code(raw)["sources"] = ["reference"]
    raw["categories"][0]["codes"][1]["sources"] = ["reference §2"]


def test_a_source_may_be_any_web_page_cited_whole_or_by_a_section(tmp_path):
    assert problems(tmp_path, JOBS_FILE, with_web_page) == []
    catalog = load_catalog(changed(tmp_path, JOBS_FILE, with_web_page))
    code = catalog.codes[0]
    assert [(s.label, s.url, s.commit) for s in code.sources] == [
        ("Jobs error reference", "https://docs.jobs.example/errors", None)]
    page = render.code_page(catalog, code, "https://jobs.example.com/errors/")
    # Nothing pins a web page: the page does not say it was read at a version.
    assert "What this page says rests on these sources:" in page
    sources = render.sources_page(catalog)
    assert "[Jobs error reference](https://docs.jobs.example/errors). Cited by" in sources
    assert "§2 Error response format" in sources and "at the commit" not in sources


@pytest.mark.parametrize("title, expected", [(None, "Sources"), ("Where this comes from", "Where this comes from")])
def test_the_sources_page_has_the_title_the_catalog_gives_it(tmp_path, title, expected):
    def change(raw):
        with_web_page(raw)
        if title:
            raw["catalog"]["sources_title"] = title
    sources = render.sources_page(load_catalog(changed(tmp_path, JOBS_FILE, change)))
    assert f'"title": "{expected}"' in sources.split("\n---\n", 1)[0]
    assert f"\n# {expected}\n" in sources


@pytest.mark.parametrize("document, citation, expected", [
    ({"url": "https://docs.jobs.example/errors"}, "reference:1-5",
     ("code ERR_JOBS_MISSING_TENANT_ID", "sources.0",
      "'reference:1-5' cites lines of 'reference', a web page: cite it whole or by a section")),
    ({"url": "https://docs.jobs.example/errors", "repository": "x", "path": "errors.md"}, "reference",
     ("document reference", None, "give either 'repository' and 'path' (a file at a commit) or 'url' (a web page)")),
])
def test_a_web_page_is_cited_only_as_a_web_page(tmp_path, document, citation, expected):
    def change(raw):
        raw["documents"] = {"reference": document}
        first_code(raw)["sources"] = [citation]
    assert expected in problems(tmp_path, JOBS_FILE, change)


def with_own_levels(raw: dict) -> None:
    """The Jobs catalog with two retryability levels of its own."""
    raw["retryability"] = {"retry": {"label": "Retry", "meaning": "Send the request again after a delay."},
                           "fix_first": {"label": "Fix first", "meaning": "Change the request before sending it again."}}
    for category in raw["categories"]:
        category["default_retryable"] = "varies"
        for code in category["codes"]:
            code["retryable"] = "retry" if code["http_status"] >= 500 else "fix_first"


def test_a_catalog_declares_the_retryability_levels_it_uses(tmp_path):
    assert problems(tmp_path, JOBS_FILE, with_own_levels) == []
    catalog = load_catalog(changed(tmp_path, JOBS_FILE, with_own_levels))
    code = catalog.code("ERR_JOBS_INTERNAL")
    page = render.code_page(catalog, code, "https://jobs.example.com/errors/")
    assert "Retryable\n:   **Retry.** Send the request again after a delay" in page


@pytest.mark.parametrize("change, expected", [
    (lambda raw: first_code(raw).update(retryable="sometimes"),
     ("code ERR_JOBS_MISSING_TENANT_ID", "retryable",
      "'sometimes' is not one of the catalog's retryability levels (fix_first, retry)")),
    (lambda raw: raw["categories"][0].update(default_retryable="sometimes"),
     ("category api", "default_retryable",
      "'sometimes' is not one of the catalog's retryability levels (fix_first, retry, varies)")),
])
def test_a_retryability_the_catalog_does_not_declare_is_refused(tmp_path, change, expected):
    assert expected in problems(tmp_path, JOBS_FILE, lambda raw: (with_own_levels(raw), change(raw)))


def test_varies_is_no_level_name(tmp_path):
    def change(raw):
        with_own_levels(raw)
        raw["retryability"]["varies"] = {"label": "Varies", "meaning": "It depends."}
    assert [(entry, field) for entry, field, _ in problems(tmp_path, JOBS_FILE, change)] == [("retryability", None)]


def test_the_pages_say_why_a_code_has_no_wire_code_in_the_catalogs_words(tmp_path):
    def change(raw):
        reason = first_without_wire_code(raw)["canonical_absent"]
        raw["canonical_absent_reasons"][reason] = "None as the client library raises it"
    catalog = load_catalog(changed(tmp_path, OJS_FILE, change))
    code = catalog.code(OJS_WITHOUT_WIRE_CODE)
    assert "None as the client library raises it" in render.code_page(catalog, code, "https://errors.example/errors/")
    assert "None as the client library raises it" in render.mapping_table(catalog)


def test_the_mapping_table_names_a_catalogs_codes_as_its_page_says():
    """The table's first column is "Code" unless the page calling it names it ("OJS code")."""
    catalog = load_catalog(JOBS_FILE)

    def first_heading(table) -> str:
        header = next(line for line in str(table).splitlines() if line.startswith("|"))
        return header.split("|")[1].strip()
    assert first_heading(render.mapping_table(catalog)) == "Code"
    assert first_heading(render.mapping_table(catalog, code_heading="Error code")) == "Error code"
    assert "OJS" not in str(render.mapping_table(catalog))
