"""What the site publishes for tools: catalog.json and its schema, llms.txt, the catalog in
Markdown, the doc_url reference for SDK authors, and the changelog."""

from __future__ import annotations

import copy
import json
import re
from urllib.parse import urlsplit

import jsonschema
import pytest

from conftest import CATALOG, CATALOG_FILE, CODES, SITE_URL, code_id, text_of
from macros.render import PUBLISHED_SCHEMA
from macros.catalog import load_catalog

TRANSPORTS_FIELDS = CATALOG_FILE.parent / "sections" / "transports.fields.json"



@pytest.fixture(scope="module")
def catalog_json(site) -> dict:
    return json.loads((site.root / "errors" / "catalog.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def published_schema(site) -> dict:
    return json.loads((site.root / "errors" / "catalog.schema.json").read_text(encoding="utf-8"))


def test_catalog_json_is_valid_against_its_published_schema(site, catalog_json, published_schema):
    published = published_schema
    # The file in data/, but for what the catalog declares itself: its title and its codes' shape.
    apart, base = copy.deepcopy(published), json.loads(PUBLISHED_SCHEMA.read_text(encoding="utf-8"))
    for schema in (apart, base):
        del schema["$id"], schema["title"], schema["$defs"]["code_id"], schema["$defs"]["category"]["properties"]["range"]
        schema["$defs"]["code"]["properties"]["name"].pop("pattern", None)
        absent = schema["$defs"]["code"]["properties"].pop("canonical_absent")
    # What the catalog's sections add to a code, each as its FIELDS file describes it in catalog.json.
    code = apart["$defs"]["code"]
    for name, schemas in json.loads(TRANSPORTS_FIELDS.read_text(encoding="utf-8")).items():
        assert code["properties"].pop(name) == schemas["published"]
        code["required"].remove(name)
    # Where a code is met: "http", and the places the transports section names.
    transports = next(s for s in load_catalog(CATALOG_FILE).sections if s.name == "transports").module
    assert set(code["properties"]["surfaces"].pop("enum")) == {"http", *transports.SURFACES}
    base["$defs"]["code"]["properties"]["surfaces"].pop("enum")
    # The OJS catalog declares everything but an error envelope: the one place left out.
    assert "envelope" not in CATALOG
    del base["properties"]["envelope"]
    base["required"].remove("envelope")
    assert apart == base
    assert published["$id"] == f"{SITE_URL}errors/catalog.schema.json"
    assert published["$defs"]["code"]["properties"]["name"]["pattern"] == f"^(?:{CATALOG['code_format']['name']})(?!\\n)$"
    assert published["title"] == f"{CATALOG['catalog']['title']} (catalog.json)"
    # The reasons a code may have no canonical code are the catalog's.
    assert published["$defs"]["code"]["properties"]["canonical_absent"]["enum"] == \
        [*CATALOG["canonical_absent_reasons"], None]
    jsonschema.Draft202012Validator.check_schema(published)
    errors = [f"{list(e.absolute_path)}: {e.message}"
              for e in jsonschema.Draft202012Validator(published).iter_errors(catalog_json)]
    assert errors == []
    assert catalog_json["$schema"] == f"{SITE_URL}errors/catalog.schema.json"


@pytest.mark.parametrize("code", ["OJS-12", "OJS-0001", "OJS-30011", "ojs-3001", "OJS_3001", "3001", "OJS-3001\n"])
def test_catalog_json_schema_refuses_codes_of_another_shape(published_schema, code):
    """Its code pattern is the catalog's code_format (OJS-XNNN, error-catalog §3)."""
    validator = jsonschema.Draft202012Validator(published_schema)
    assert not validator.is_valid({"codes": [{"code": code, "name": "X"}]})
    code_schema = published_schema["$defs"]["code_id"]
    assert all(jsonschema.Draft202012Validator(code_schema).is_valid(entry["code"]) for entry in CODES)
    assert not jsonschema.Draft202012Validator(code_schema).is_valid(code)


def test_catalog_json_schema_writes_ranges_as_the_catalog_does(published_schema):
    range_schema = jsonschema.Draft202012Validator(published_schema["$defs"]["category"]["properties"]["range"])
    assert all(range_schema.is_valid(f"OJS-{c['digit']}xxx") for c in CATALOG["categories"])
    assert not any(range_schema.is_valid(text) for text in ("OJS-0xxx", "OJS-12xxx", "ojs-1xxx", "OJS-1XXX", "OJS-1xxx\n"))


def test_catalog_json_has_the_catalog_version_and_categories(catalog_json):
    assert catalog_json["version"] == CATALOG["catalog"]["version"]
    assert [c["slug"] for c in catalog_json["categories"]] == [c["slug"] for c in CATALOG["categories"]]


def _resolve(source: str) -> tuple[str, str | None, str]:
    """A source of the data file as (file name, section, URL without its fragment), from its registry."""
    document, _, section = source.partition(" §")
    document = document.split(":")[0]  # a source file's lines: go-errors:81-86
    entry = CATALOG["documents"][document]
    repository = CATALOG["repositories"][entry["repository"]]
    url = f"{repository['url']}/blob/{repository['commit']}/{entry['path']}"
    return entry["path"].rsplit("/", 1)[-1], section or None, url


def _source_of(published: dict) -> tuple[str, str | None, str]:
    document = published["document"].split(" ")[-3].rsplit("/", 1)[-1] if " at " in published["document"] \
        else published["document"]
    return document, \
        published["section"], published["url"].split("#")[0]


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_catalog_json_holds_every_field_of_every_code(site, catalog_json, entry):
    published = {c["code"]: c for c in catalog_json["codes"]}[entry["code"]]
    for field, value in entry.items():
        if field == "category":
            assert published["category"] == value["slug"]
        elif field == "example":
            assert {k: v for k, v in published["example"].items() if v not in (None, {})} == value
        elif field == "sources":
            assert [_source_of(s) for s in published["sources"]] == [_resolve(text) for text in value]
        elif field == "variants":
            assert [{k: v for k, v in {**p, "source": _source_of(p["source"])}.items() if v is not None}
                    for p in published["variants"]] == [{**v, "source": _resolve(v["source"])} for v in value]
        elif field == "surfaces":
            assert published["surfaces"] == value
        elif field == "in_practice":
            assert [(n["note"], [_source_of(s) for s in n["sources"]]) for n in published["in_practice"]] == \
                [(n["note"], [_resolve(t) for t in n["sources"]]) for n in value]
        else:
            assert published[field] == value, field
    assert published["doc_url"] == f"{SITE_URL}errors/{entry['code']}"
    assert site.file_for(urlsplit(published["doc_url"]).path + "/") is not None
    if entry.get("canonical_code"):
        alias = urlsplit(published["alias_url"]).path.lstrip("/")
        assert site.redirect_target(alias + "/") == f"errors/{entry['code']}/"
    else:
        assert published["alias_url"] is None


def test_catalog_json_has_each_code_once(catalog_json):
    assert [c["code"] for c in catalog_json["codes"]] == [c["code"] for c in CODES]


def test_llms_txt_introduces_the_site_and_every_link_lands(site):
    text = (site.root / "llms.txt").read_text(encoding="utf-8")
    assert text.startswith(f"# {CATALOG['catalog']['title']}\n\n> ")
    links = re.findall(r"\]\(([^)]+)\)", text)
    assert len(links) >= len(CATALOG["categories"]) + 3
    for link in links:
        assert link.startswith(SITE_URL), link
        assert site.file_for(urlsplit(link).path) is not None, f"llms.txt links to a missing {link}"


def test_catalog_markdown_has_every_code(site):
    text = (site.root / "errors" / "catalog.md").read_text(encoding="utf-8")
    headings = re.findall(r"^### (OJS-\d{4}) (\w+)", text, flags=re.MULTILINE)
    assert headings == [(c["code"], c["name"]) for c in sorted(CODES, key=lambda c: (c["category"]["digit"], c["code"]))]
    # What a Markdown reader shows: backslash escapes removed.
    shown = " ".join(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text).split())
    for entry in CODES:
        assert " ".join(entry["description"].split()) in shown, entry["code"]


def test_doc_url_page_gives_both_forms_and_a_snippet_per_sdk(site):
    page = site.soup("errors/doc-urls/")
    text = text_of(page.select_one("article"))
    for url in (f"{SITE_URL}errors/OJS-3001", f"{SITE_URL}errors/DUPLICATE_JOB"):
        assert url in text
        assert site.file_for(urlsplit(url).path + "/") is not None
    labels = [text_of(label) for label in page.select(".tabbed-labels label")]
    assert labels == ["Go", "JS/TS", "Python", "Java", "Rust", "Ruby"]
    blocks = page.select(".tabbed-block pre")
    assert len(blocks) == 6 and all(f"{SITE_URL}errors/" in text_of(b) for b in blocks)
    without_canonical = sum(1 for c in CODES if not c.get("canonical_code"))
    assert f"{without_canonical} of the {len(CODES)} codes have no canonical code" in text


def test_changelog_lists_every_code_under_the_version_that_added_it(site):
    page = site.soup("errors/changelog/")
    versions = sorted({c["added_in"] for c in CODES}, reverse=True)
    headings = [text_of(h) for h in page.select("article h2")]
    assert headings == [f"Catalog {v}" for v in versions]
    linked = [text_of(a) for a in page.select("article table a")]
    assert sorted(linked) == sorted(c["code"] for c in CODES)
