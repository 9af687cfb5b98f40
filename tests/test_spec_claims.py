"""What the site says agrees with the OJS specifications, and every page shows its sources.

The corrected claims are those the fact-check (shared/reference/spec-fact-check.md) found
contradicted by the specification documents; each test reads the built page, so it fails
if the wrong statement comes back through the data file or a template.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml

from bench.synthetic import copy_sections
from conftest import CATALOG, CATALOG_FILE, CODES, code_id, surfaces, text_of
from test_code_pages import section_text
from macros.catalog import CatalogError, load_catalog

SPEC_SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / "ojs-error-catalog-spec.md"


def page_text(site, url: str) -> str:
    return text_of(site.soup(url).select_one("article"))


def code_text(site, code: str) -> str:
    return page_text(site, f"errors/{code}/")


# (page, the contradicted statement, what the specification says instead)
CORRECTED = [
    ("errors/OJS-1002/", "underscores are safe everywhere", "starting with a letter or digit, at most 128 characters"),
    ("errors/OJS-1006/", "must be at least 1", "a whole number of 0 or more (0 means never retry"),
    ("errors/OJS-1006/", "max_attempts a whole number of at least 1", "non-negative integer"),
    ("errors/OJS-1016/", "A backend sends it as an HTTP response", "Backends never resolve external payload references"),
    ("errors/OJS-3003/", "A second cancel can be treated as success", "Cancelling a job that is already cancelled is not this error"),
    ("errors/OJS-3006/", '"type": "HandlerTimeout"', '"type": "timeout"'),
    ("errors/OJS-3006/", "make long work report progress", "do not extend the execution timeout"),
    ("errors/OJS-3008/", "went straight to the dead letter queue", "with the default discard it is discarded and not kept in the dead letter queue"),
    ("errors/OJS-4003/", "the jobs that depend on it can then run", "will not run"),
    ("errors/OJS-4001/", "A backend sends it as an HTTP response", "defines no error response for it"),
    ("errors/OJS-5002/", "The specification defines no gRPC status", "gRPC status UNAUTHENTICATED (16), for an invalid or expired token"),
    ("errors/OJS-5003/", "The specification defines no gRPC status", "gRPC status PERMISSION_DENIED (7), for any authorization failure"),
    ("errors/OJS-6001/", "The message header x-ojs-error-code carries QUEUE_FULL", "No x-ojs-error-code header carries it"),
    ("errors/workflow/", "backends report them with the HTTP status shown", "a failed step or callback shows in the workflow's own state"),
    ("errors/client/", "The backend rejects it before any job is stored", "OJS-1016 by the SDK or worker"),
]


@pytest.mark.parametrize("url, wrong, right", CORRECTED, ids=[f"{u}:{w[:24]}" for u, w, _ in CORRECTED])
def test_a_contradicted_claim_stays_corrected(site, url, wrong, right):
    text = page_text(site, url)
    assert wrong not in text
    assert right in text


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_no_page_repeats_a_contradicted_template_sentence(site, entry):
    text = code_text(site, entry["code"])
    sdk_blocks = " ".join(pre.get_text() for pre in site.soup(f"errors/{entry['code']}/").select(".tabbed-block pre"))
    # The JS/TS package exports no per-code constants (js-sdk src/index.ts).
    assert "import { OJS_" not in sdk_blocks
    # Only Rust's Display and Ruby's to_s format an entry as [OJS-NNNN] Name: message.
    assert "its messages read" not in text
    assert f"Only the Rust SDK (Display) and the Ruby SDK (to_s) print an entry as [{entry['code']}]" in text
    # The OJS code is not on the wire, and other codes share the status.
    assert "the HTTP status and the OJS code identify it" not in text
    assert "The specification defines no gRPC status" not in text


@pytest.mark.parametrize("entry", [c for c in CODES if c["http_status"] in (413, 422)], ids=code_id)
def test_rfc9110_reason_phrases_are_disclosed(site, entry):
    older = {413: "Payload Too Large", 422: "Unprocessable Entity"}[entry["http_status"]]
    text = section_text(site.soup(f"errors/{entry['code']}/"), "where-it-surfaces")
    assert f'the OJS documents use the older name "{older}" (ojs-errors.md §5.1)' in text


def _variant_items(site, code: str) -> list:
    page = site.soup(f"errors/{code}/")
    intro = next((p for p in page.find_all("p") if text_of(p) == "Other specification documents say otherwise:"), None)
    return [] if intro is None else intro.find_next_sibling("ul").find_all("li", recursive=False)


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_what_other_documents_say_is_on_the_page(site, entry):
    items = _variant_items(site, entry["code"])
    variants = entry.get("variants", [])
    assert len(items) == len(variants)
    for item, variant in zip(items, variants):
        link, text = item.find("a"), text_of(item)
        assert link["href"] == resolve(variant["source"])
        for field in ("code", "grpc_status"):
            if variant.get(field):
                assert variant[field] in text
        if variant.get("http_status"):
            assert f"HTTP {variant['http_status']} " in text
        if variant.get("note"):
            note = " ".join(variant["note"].replace("`", "").split())
            assert note[1:] in text


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_the_bindings_shapes_are_disclosed_where_a_reader_meets_them(site, entry):
    text = code_text(site, entry["code"])
    where = surfaces(entry)
    if where == "http":
        # ojs-http-binding 16.1 nests the object under "error", with lower-case codes.
        assert "nests the object under error, requires retryable and request_id" in text
    if where == "history":
        # ojs-retry 10.1's entry names the timestamp differently, adds details, and its
        # example's code is a handler response code.
        history = section_text(site.soup(f"errors/{entry['code']}/"), "where-it-surfaces")
        assert "ojs-retry.md §10.1" in history
        for difference in ("timestamp", "details", "RETRY"):
            assert difference in history.split("ojs-retry.md §10.1", 1)[1]
    if entry.get("grpc_status"):
        assert "The gRPC binding puts the binding's lower-case code in reason instead" in text
    if entry.get("amqp") and entry["canonical_code"] in ("HANDLER_ERROR", "HANDLER_TIMEOUT"):
        # ojs-amqp-binding 5.4 requires Basic.Ack and republish where ojs-errors 5.3 says Nack.
        assert "Basic.Ack" in text


# Sources --------------------------------------------------------------------------------

def github_anchor(heading: str) -> str:
    """GitHub's heading fragment, written here independently of macros/catalog.py."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def resolve(source: str) -> str:
    document, _, section = source.partition(" §")
    entry = CATALOG["documents"][document]
    repository = CATALOG["repositories"][entry["repository"]]
    url = f"{repository['url']}/blob/{repository['commit']}/{entry['path']}"
    return url + (f"#{github_anchor(entry['sections'][section])}" if section else "")


def all_sources() -> list[tuple[str, str]]:
    found = []
    for category in CATALOG["categories"]:
        found += [(f"category {category['slug']}", s) for s in category.get("sources", [])]
        for code in category["codes"]:
            found += [(code["code"], s) for s in code.get("sources", [])]
            found += [(code["code"], v["source"]) for v in code.get("variants", [])]
    return found


def test_every_code_and_category_has_sources():
    assert [c["code"] for c in CODES if not c.get("sources")] == []
    assert [c["slug"] for c in CATALOG["categories"] if not c.get("sources")] == []


def test_every_source_names_a_known_document_and_section():
    unknown = []
    for owner, source in all_sources():
        document, _, section = source.partition(" §")
        known = CATALOG["documents"].get(document)
        if known is None or (section and section not in known.get("sections", {})):
            unknown.append((owner, source))
        elif known["repository"] not in CATALOG["repositories"]:
            unknown.append((owner, source))
    assert unknown == []


def test_catalog_sections_are_headings_of_the_catalog_specification():
    if not SPEC_SEED.is_file():
        pytest.skip(f"the specification is not at {SPEC_SEED}")
    headings = [line.lstrip("#").strip() for line in SPEC_SEED.read_text(encoding="utf-8").splitlines()
                if line.startswith("#")]
    listed = CATALOG["documents"]["error-catalog"]["sections"].values()
    assert [h for h in listed if h not in headings] == []


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_code_page_links_each_of_its_sources(site, entry):
    page = site.soup(f"errors/{entry['code']}/")
    heading = page.find("h2", id="sources")
    links = [a["href"] for a in heading.find_next_sibling("ul").find_all("a")]
    assert links == [resolve(s) for s in entry["sources"]]


@pytest.mark.parametrize("category", CATALOG["categories"], ids=lambda c: c["slug"])
def test_category_page_links_each_of_its_sources(site, category):
    page = site.soup(f"errors/{category['slug']}/")
    heading = page.find("h2", id="sources")
    links = [a["href"] for a in heading.find_next_sibling("ul").find_all("a")]
    assert links == [resolve(s) for s in category["sources"]]


def _with(change) -> dict:
    raw = copy.deepcopy(CATALOG)
    change(raw)
    return raw


def _first_code(raw: dict) -> dict:
    return raw["categories"][0]["codes"][0]


@pytest.mark.parametrize("change, entry, field, words", [
    (lambda raw: _first_code(raw)["sources"].append("ojs-nonexistent §1"), "code OJS-1000", f"sources.{len(CODES[0]['sources'])}",
     "names the document 'ojs-nonexistent', which is not in the catalog's documents"),
    (lambda raw: _first_code(raw)["sources"].append("ojs-errors §99.9"), "code OJS-1000", f"sources.{len(CODES[0]['sources'])}",
     "names a section that the document 'ojs-errors' does not list"),
    (lambda raw: _first_code(raw)["variants"][0].update(source="ojs-retry §42"), "code OJS-1000",
     "variants.0.source", "names a section that the document 'ojs-retry' does not list"),
    (lambda raw: raw["categories"][1]["sources"].append("rfc-9110 §15"), "category server", "sources.3",
     "names the document 'rfc-9110'"),
    (lambda raw: raw["documents"]["ojs-retry"].update(repository="elsewhere"), "document ojs-retry",
     "repository", "elsewhere is not one of the catalog's repositories"),
    (lambda raw: raw["documents"]["ojs-errors"]["sections"].pop("5.2"), "documents", None,
     "'ojs-errors §5.2' is cited by the code pages' section 'transports'"),
], ids=["unknown-document", "unknown-section", "variant-section", "category-document", "repository", "template"])
def test_a_source_the_site_does_not_know_stops_the_build(tmp_path, change, entry, field, words):
    path = tmp_path / "catalog.yaml"
    copy_sections(CATALOG_FILE, path)
    path.write_text(yaml.safe_dump(_with(change), allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(CatalogError) as raised:
        load_catalog(path)
    error = raised.value
    assert (error.path, error.entry, error.field) == (str(path), entry, field)
    assert words in error.problem


def test_a_code_without_sources_stops_the_build(tmp_path):
    path = tmp_path / "catalog.yaml"
    copy_sections(CATALOG_FILE, path)
    path.write_text(yaml.safe_dump(_with(lambda raw: _first_code(raw).pop("sources")), sort_keys=False),
                    encoding="utf-8")
    with pytest.raises(CatalogError, match="code OJS-1000: field 'sources': is required"):
        load_catalog(path)
