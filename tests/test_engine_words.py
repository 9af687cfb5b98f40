"""The words the pages use for what a catalog has (the documents its variants come from, who
raises its codes, whom its changelog feed serves, why its wire codes are not its codes) are
the catalog's (issue 18, item 1). A catalog that declares none gets neutral words, never the
OJS catalog's; the OJS catalog's are in its data file.

The catalog here is the Jobs Service's with what its reference does not have added (a
version, a deprecated code, variants, wire codes and a document they cite): a test fixture,
never published.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from bench.synthetic import write_catalog
from conftest import CATALOGS, OJS_WORDS, read_catalog
from macros import forms, render
from macros.catalog import load_catalog
from macros.model import Catalog

ERRORS_URL = "https://jobs.example.com/errors/"
JOBS_FILE = CATALOGS["jobs-service"][1]
DEPRECATED, REPLACEMENT = "ERR_JOBS_INVALID_PRIORITY", "ERR_JOBS_INVALID_CRON"
WIRE = "missing"
WORDS = {
    "variant_documents_are": "handbook chapters",
    "raised_by": "the Jobs Service and its clients",
    "feed_for": "integrators",
    "wire_codes_intro": "Older releases of the service answer with `missing` where the code is now a code of its own.",
}


def jobs_with_everything(tmp_path, words: dict[str, str]) -> Catalog:
    raw = read_catalog(JOBS_FILE)
    raw["catalog"].update(version="1.1.0", **words)
    raw["documents"] = {"handbook": {"url": "https://jobs.example.com/handbook", "title": "Jobs handbook",
                                     "sections": {"2": "2 Errors"}}}
    codes = [code for category in raw["categories"] for code in category["codes"]]
    for code in codes:
        code["added_in"] = "1.0.0"
    deprecated = next(code for code in codes if code["code"] == DEPRECATED)
    deprecated.update(deprecated_in="1.1.0", replaced_by=REPLACEMENT)
    codes[2]["variants"] = [{"code": WIRE, "source": "handbook §2"}]
    raw["categories"][0]["variants"] = [{"http_status": 400, "source": "handbook §2"}]
    raw["wire_codes"] = [{"code": WIRE, "means": [codes[2]["code"]], "sources": ["handbook §2"],
                          "about": "What older releases answer for a job that does not exist."}]
    path = write_catalog(raw, tmp_path / "catalog.yaml")
    return load_catalog(path, tmp_path / "published-codes.json")


def pages(catalog: Catalog) -> dict[str, str]:
    """Every page of the catalog that speaks of what it has."""
    found = {f"code {c.code}": render.code_page(catalog, c, ERRORS_URL) for c in catalog.codes}
    found.update({f"category {c.slug}": render.category_page(catalog, c) for c in catalog.categories})
    found.update({f"wire {w.code}": render.wire_page(catalog, w) for w in catalog.wire_codes})
    found.update({"wire codes": render.wire_codes_page(catalog), "changelog": render.changelog_page(catalog),
                  "sources": render.sources_page(catalog), "overview": render.overview_page(catalog)})
    return found


@pytest.fixture(scope="module")
def neutral(tmp_path_factory) -> dict[str, str]:
    return pages(jobs_with_everything(tmp_path_factory.mktemp("neutral"), {}))


@pytest.fixture(scope="module")
def declared(tmp_path_factory) -> dict[str, str]:
    return pages(jobs_with_everything(tmp_path_factory.mktemp("declared"), WORDS))


def test_a_catalog_without_words_of_its_own_gets_neutral_ones_never_the_ojs_catalogs(neutral):
    spoken = {name: sorted(set(re.findall(OJS_WORDS + r"|SDK|backend|[Ss]pecification", page)))
              for name, page in neutral.items()}
    assert {name: words for name, words in spoken.items() if words} == {}
    assert "Other documents say otherwise:" in neutral[f"code {REPLACEMENT}"]
    assert "Other documents say otherwise:" in neutral["category api"]
    assert "New releases no longer raise this code: they raise" in neutral[f"code {DEPRECATED}"]
    assert "for readers who want to hear of new codes" in neutral["changelog"]
    assert "is not always a code of the catalog" in neutral["wire codes"]
    # Who sends a wire code is known from implementations only: this catalog has none.
    assert "Sent by" not in neutral["wire codes"]
    assert "The documents give it to" in neutral[f"wire {WIRE}"]


def test_a_catalogs_words_are_shown_where_the_pages_speak_of_what_it_has(declared):
    assert "Other handbook chapters say otherwise:" in declared[f"code {REPLACEMENT}"]
    assert "The handbook chapters give it to" in declared[f"wire {WIRE}"]
    assert "Other handbook chapters say otherwise:" in declared["category api"]
    assert "New releases of the Jobs Service and its clients no longer raise this code" in declared[f"code {DEPRECATED}"]
    assert "for integrators who want to hear of new codes" in declared["changelog"]
    assert "answer with <code>missing</code> where" in declared["wire codes"]
    assert "is not always a code of the catalog" not in declared["wire codes"]


def test_the_ojs_catalog_declares_the_words_its_pages_use():
    raw = read_catalog()["catalog"]
    catalog = load_catalog(CATALOGS["ojs"][1])
    assert raw["variant_documents_are"] == catalog.variant_documents_are
    assert {key: getattr(catalog, key) for key in WORDS} == {key: raw[key] for key in WORDS}
    variant_page = next(c for c in catalog.codes if c.variants)
    assert f"Other {raw['variant_documents_are']} say otherwise:" in render.code_page(catalog, variant_page, ERRORS_URL)
    assert f"for {raw['feed_for']} who want" in render.changelog_page(catalog)
    # What a client cannot read: the implementations' own word for the servers' error bodies.
    body = read_catalog()["implementations"]["error_body"]
    unreadable = next(w for w in catalog.wire_codes if w.code == catalog.implementations.sdks[0].unreadable.wire)
    assert f"whose body is no {body}" in render.wire_page(catalog, unreadable)


def test_the_ojs_wire_codes_pages_example_leads_where_it_says():
    """Its opening names a wire code without a row and the page it leads to: the lookup the
    address bar and the search box read must agree."""
    catalog = load_catalog(CATALOGS["ojs"][1])
    claim = r"without a row here leads to the page of the code it names, as `(\w+)`, .*? leads to (\S+?)\.$"
    wire, code = re.search(claim, catalog.wire_codes_intro).groups()
    assert forms.wire_page(catalog, wire) is None
    assert catalog.codes[forms.destination(forms.lookup(catalog), wire)].code == code


# The words of one catalog or one kind of implementation, in the engine's own text.
CATALOG_WORDS = re.compile(r"\bOJS\b(?![_-])|Open Job Spec|openjobspec|reference backends?|\bSDKs?\b|"
                           r"[Ss]pecification(?!_)")
MACROS = Path(__file__).resolve().parent.parent / "macros"


def _engine_strings(path: Path) -> list[tuple[int, str]]:
    """The strings of a module that can reach a page or a message: not its docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_the_engines_own_words_speak_of_no_catalog():
    """Like rustc's tidy: no template or string of the engine names OJS, its SDKs, its reference
    backends or its specification; a catalog's words are its data, and its page sections are
    its own files (the OJS catalog's are in data/sections/)."""
    found = []
    for path in sorted(MACROS.rglob("*.py")):
        found += [f"{path.relative_to(MACROS)}:{line}: {text[:60]!r}" for line, text in _engine_strings(path)
                  if CATALOG_WORDS.search(text)]
    for path in sorted(MACROS.rglob("*.j2")):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)  # comments
        found += [f"{path.relative_to(MACROS)}: {match!r}" for match in CATALOG_WORDS.findall(text)]
    assert found == []


def test_the_published_schema_speaks_of_no_catalog():
    """catalog-json.schema.json is published beside every catalog's catalog.json: its words are
    every catalog's. (The data file's schema is never published; its descriptions may name the
    OJS catalog as an example, as this README does.)"""
    def strings(value, path: str):
        if isinstance(value, dict):
            for key, item in value.items():
                yield from strings(key, path)
                yield from strings(item, f"{path}/{key}")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from strings(item, f"{path}/{index}")
        elif isinstance(value, str):
            yield path, value

    schema = json.loads(render.PUBLISHED_SCHEMA.read_text(encoding="utf-8"))
    found = [f"{path}: {text[:60]!r}" for path, text in strings(schema, "")
             if CATALOG_WORDS.search(text) or re.search(OJS_WORDS, text)]
    assert found == []
