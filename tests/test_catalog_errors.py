"""Bad catalog data stops the build with a message naming file, entry and field; catalog text is never markup."""

from __future__ import annotations

import copy

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import CATALOG, build_site
from macros.catalog import CatalogError, load_catalog


def _code(raw: dict, code: str) -> dict:
    return next(c for cat in raw["categories"] for c in cat["codes"] if c["code"] == code)


def _write(tmp_path, raw) -> str:
    path = tmp_path / "catalog.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


DELETE = object()


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
    ("OJS-3001", "http_status", 600, "code OJS-3001", "http_status", "600"),
    ("OJS-3002", "canonical_code", "DUPLICATE_JOB", "code OJS-3002", "canonical_code",
     "already the canonical code of OJS-3001"),
    ("OJS-3001", "canonical_code", "DuplicateJob", "code OJS-3001", "canonical_code", "does not match"),
    ("OJS-3001", "canonical_absent", "server", "code OJS-3001", None,
     "exactly one of 'canonical_code' and 'canonical_absent'"),
    ("OJS-3001", "related", ["OJS-3999"], "code OJS-3001", "related", "OJS-3999 is not a code in this catalog"),
])
def test_bad_entry_is_named_with_its_field(tmp_path, code, field, value, entry, named_field, words):
    raw = copy.deepcopy(CATALOG)
    if value is DELETE:
        del _code(raw, code)[field]
    else:
        _code(raw, code)[field] = value
    path = _write(tmp_path, raw)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    error = caught.value
    assert (error.path, error.entry, error.field) == (str(path), entry, named_field)
    assert words in str(error)


def test_markup_in_a_page_title_is_refused(tmp_path):
    raw = copy.deepcopy(CATALOG)
    raw["categories"][0]["name"] = "Client <b>errors</b>"
    path = _write(tmp_path, raw)
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert (caught.value.entry, caught.value.field) == ("category client", "name")


def test_yaml_syntax_error_names_its_line(tmp_path):
    path = tmp_path / "catalog.yaml"
    path.write_text("catalog:\n  title: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"catalog\.yaml: line \d+: YAML syntax error"):
        load_catalog(path)


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


def test_catalog_text_is_shown_as_text_never_as_markup(tmp_path):
    raw = copy.deepcopy(CATALOG)
    entry = _code(raw, "OJS-3001")
    entry["description"] = entry["resolution"] = HOSTILE
    entry["example"]["message"] = HOSTILE
    site_dir = tmp_path / "site"
    result = build_site(site_dir, catalog_file=_write(tmp_path, raw))
    assert result.returncode == 0, result.stdout + result.stderr
    pages = {"code page": site_dir / "errors/OJS-3001/index.html",
             "category page": site_dir / "errors/job-lifecycle/index.html",
             "related code's page": site_dir / "errors/OJS-7002/index.html"}
    for where, file in pages.items():
        html = file.read_text(encoding="utf-8")
        page = BeautifulSoup(html, "html.parser")
        assert not [s for s in page.find_all("script") if "alert" in s.get_text()], where
        assert page.find("img", src="x") is None, where
        assert page.find("a", href=lambda h: h and h.startswith("javascript:")) is None, where
        assert "<script>alert(1)</script>" in page.get_text(), where
        assert "{{ 7*7 }}" in page.get_text() and ">49<" not in html, where
        meta = page.find("meta", attrs={"name": "description"})
        assert meta.attrs.keys() == {"name", "content"}, where
