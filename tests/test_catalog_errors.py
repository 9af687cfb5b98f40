"""Bad catalog data stops the build with a message naming file, entry and field; catalog text is never markup."""

from __future__ import annotations

import copy
import json
import re

import pytest
import yaml
from bs4 import BeautifulSoup

from bench.synthetic import synthetic_catalog
from conftest import CATALOG, build_site
from macros.catalog import CatalogError, load_catalog


def _code(raw: dict, code: str) -> dict:
    return next(c for cat in raw["categories"] for c in cat["codes"] if c["code"] == code)


def _write(tmp_path, raw) -> str:
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


DELETE = object()
# A small fixture: two codes per category, every field filled (bench/synthetic.py).
SMALL = synthetic_catalog(14)
CANONICAL_OF_3000 = _code(SMALL, "OJS-3000")["canonical_code"]


def _deprecate(replacement: str | None, deprecated_in: str | None = "1.0.0"):
    def change(entry: dict) -> None:
        if deprecated_in:
            entry["deprecated_in"] = deprecated_in
        if replacement:
            entry["replaced_by"] = replacement
    return change


@pytest.mark.parametrize("code, field, value, entry, named_field, words", [
    ("OJS-1001", "code", "OJS-1000", "code OJS-1000", "code", "used twice"),
    ("OJS-1001", "code", "OJS-2999", "code OJS-2999", "code", "outside its category's range OJS-1xxx"),
    ("OJS-1001", "code", "OJS-12", "code OJS-12", "code", "does not match"),
    ("OJS-1001", "code", "OJS-10000", "code OJS-10000", "code", "does not match"),
    ("OJS-1001", "code", "ojs-1001", "code ojs-1001", "code", "does not match"),
    ("OJS-3001", "resolution", DELETE, "code OJS-3001", "resolution", "is required"),
    ("OJS-3001", "resolutoin", "typo", "code OJS-3001", "resolutoin", "is not a known field"),
    ("OJS-3001", "retryable", "sometimes", "code OJS-3001", "retryable", "'sometimes' is not one of"),
    ("OJS-3001", "retryable", False, "code OJS-3001", "retryable", 'quote "yes" and "no"'),
    ("OJS-3001", "http_status", 600, "code OJS-3001", "http_status", "600 is greater than the maximum of 599"),
    ("OJS-3001", "http_status", 99, "code OJS-3001", "http_status", "99 is less than the minimum of 100"),
    ("OJS-3001", "canonical_code", CANONICAL_OF_3000, "code OJS-3001", "canonical_code",
     f"{CANONICAL_OF_3000} is already the canonical code of OJS-3000"),
    ("OJS-3001", "canonical_code", "DuplicateJob", "code OJS-3001", "canonical_code", "does not match"),
    ("OJS-3001", "canonical_absent", "server", "code OJS-3001", None,
     "exactly one of 'canonical_code' and 'canonical_absent'"),
    ("OJS-3001", "related", ["OJS-3999"], "code OJS-3001", "related", "OJS-3999 is not a code in this catalog"),
    ("OJS-3001", None, _deprecate("OJS-3999"), "code OJS-3001", "replaced_by",
     "OJS-3999 is not a code in this catalog"),
    ("OJS-3001", None, _deprecate("OJS-3001"), "code OJS-3001", "replaced_by", "cannot replace itself"),
    ("OJS-3001", None, _deprecate("OJS-3000", deprecated_in=None), "code OJS-3001", "replaced_by",
     "only a deprecated code can have a replacement"),
    ("OJS-3001", None, _deprecate(None, deprecated_in="9.0.0"), "code OJS-3001", "deprecated_in",
     "after this catalog's version"),
])
def test_bad_entry_stops_the_build_naming_file_entry_and_field(tmp_path, code, field, value, entry,
                                                                named_field, words):
    raw = copy.deepcopy(SMALL)
    target = _code(raw, code)
    if value is DELETE:
        del target[field]
    elif field is None:
        value(target)
    else:
        target[field] = value
    path = _write(tmp_path, raw)
    site_dir = tmp_path / "site"
    result = build_site(site_dir, catalog_file=path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    where = f"{path}: {entry}" + (f": field '{named_field}'" if named_field else "")
    assert f"{where}: " in output and words in output, output[-2000:]
    assert not site_dir.exists(), "a failed build left a site behind"


def test_markup_in_a_page_title_is_refused(tmp_path):
    raw = copy.deepcopy(CATALOG)
    raw["categories"][0]["name"] = "Client <b>errors</b>"
    path = _write(tmp_path, raw)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert (caught.value.entry, caught.value.field) == ("category client", "name")


def test_yaml_syntax_error_stops_the_build_naming_its_line(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text("catalog:\n  title: OJS\n  version: [unclosed\nretryability: {}\n", encoding="utf-8")
    result = build_site(tmp_path / "site", catalog_file=path)
    assert result.returncode != 0
    assert re.search(rf"{re.escape(str(path))}: line [34]: YAML syntax error", result.stdout + result.stderr)
    assert not (tmp_path / "site").exists()


def test_build_stops_with_the_message_and_keeps_the_previous_site(tmp_path):
    raw = copy.deepcopy(CATALOG)
    _code(raw, "OJS-3001")["retryable"] = "sometimes"
    path = _write(tmp_path, raw)
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "previous.html").write_text("the last good build", encoding="utf-8")
    result = build_site(site_dir, catalog_file=path)
    assert result.returncode != 0
    assert f"{path}: code OJS-3001: field 'retryable'" in result.stdout + result.stderr
    assert [p.name for p in site_dir.iterdir()] == ["previous.html"]


HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(2)> [click](javascript:alert(3)) {{ 7*7 }}'


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("hostile")
    raw = copy.deepcopy(CATALOG)
    entry = _code(raw, "OJS-3001")
    entry["description"] = entry["resolution"] = HOSTILE
    entry["example"]["message"] = HOSTILE
    site_dir = scratch / "site"
    result = build_site(site_dir, catalog_file=_write(scratch, raw))
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir


def test_catalog_text_is_shown_as_text_never_as_markup(hostile_site):
    site_dir = hostile_site
    shown = 0
    for file in sorted(site_dir.rglob("*.html")):
        html = file.read_text(encoding="utf-8")
        page = BeautifulSoup(html, "html.parser")
        where = file.relative_to(site_dir).as_posix()
        assert not [s for s in page.find_all("script") if "alert" in s.get_text()], where
        assert page.find("img", src="x") is None, where
        assert page.find("a", href=lambda h: h and h.startswith("javascript:")) is None, where
        assert ">49<" not in html, where
        meta = page.find("meta", attrs={"name": "description"})
        assert meta is None or meta.attrs.keys() == {"name", "content"}, where
        if "<script>alert(1)</script>" in page.get_text():
            shown += 1
            assert "{{ 7*7 }}" in page.get_text(), where
    # The code page, its category page, and the page of a code that lists it as related.
    assert shown >= 3


def test_catalog_text_is_text_in_search_results_too(hostile_site):
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    found = False
    for doc in index["docs"]:
        # Material shows a result's title and text as HTML.
        for field in ("title", "text"):
            fragment = BeautifulSoup(doc[field], "html.parser")
            assert fragment.find(["script", "img"]) is None, doc["location"]
            found = found or "<script>alert(1)</script>" in fragment.get_text()
    assert found, "the hostile description is not in the search index at all"
