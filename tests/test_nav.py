"""A catalog's mkdocs.yml may write its own nav: the categories come from the catalog file
where it puts `- error-catalog: categories`, and a nav that leaves one out, or lists one the
catalog lacks, stops the build. What every catalog's nav shows is in test_every_catalog.py."""

from __future__ import annotations

import pytest
import yaml
from mkdocs.exceptions import PluginError

from conftest import CATALOG, CATALOG_FILE, ROOT, build_site
from macros import nav

CATEGORIES = [{"Client errors": "errors/client.md"}, {"Server errors": "errors/server.md"}]


def test_the_categories_item_becomes_the_categories_at_any_depth():
    written = [{"Home": "index.md"},
               {"Errors": ["errors/index.md", nav.CATEGORIES_ITEM, {"Guide": "errors/guide.md"}]}]
    assert nav.with_categories(written, CATEGORIES) == [
        {"Home": "index.md"}, {"Errors": ["errors/index.md", *CATEGORIES, {"Guide": "errors/guide.md"}]}]


def test_a_nav_without_the_categories_item_is_kept_as_written():
    written = [{"Errors": ["errors/index.md", {"Client": "errors/client.md"}]}]
    assert nav.with_categories(written, CATEGORIES) == written


def test_a_nav_that_leaves_a_category_out_is_refused_naming_it():
    written = [{"Errors": ["errors/index.md", {"Client": "errors/client.md"}]}]
    with pytest.raises(PluginError, match=r"the nav of site/mkdocs\.yml does not list errors/server\.md, a category "
                                          r"of data/catalog\.yaml: put `- error-catalog: categories`"):
        nav.refuse_missing_categories(written, CATEGORIES, "data/catalog.yaml", "site/mkdocs.yml")
    nav.refuse_missing_categories(nav.with_categories([nav.CATEGORIES_ITEM], CATEGORIES), CATEGORIES, "c", "m")


def _config_with_nav(tmp_path, entries: list) -> "Path":
    """The OJS site's mkdocs.yml with another nav."""
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump({
        "INHERIT": str(ROOT / "mkdocs.yml"), "docs_dir": str(ROOT / "docs"),
        "theme": {"custom_dir": str(ROOT / "overrides")}, "watch": [],
        "plugins": {"error-catalog": {"catalog_file": str(CATALOG_FILE)}},
        "nav": [{"Home": "index.md"}, {"Error catalog": ["errors/index.md", *entries]}],
    }), encoding="utf-8")
    return config


def _output(result) -> str:
    return result.stdout + result.stderr


def test_a_build_whose_nav_leaves_out_a_category_stops_naming_it(tmp_path):
    listed = [{c["name"]: f"errors/{c['slug']}.md"} for c in CATALOG["categories"][:-1]]
    left_out = CATALOG["categories"][-1]["slug"]
    result = build_site(tmp_path / "site", config=_config_with_nav(tmp_path, listed))
    assert result.returncode != 0
    assert f"does not list errors/{left_out}.md, a category of {CATALOG_FILE}" in _output(result)
    assert not (tmp_path / "site").exists()


def test_a_build_whose_nav_lists_a_category_the_catalog_lacks_stops_naming_it(tmp_path):
    result = build_site(tmp_path / "site", config=_config_with_nav(
        tmp_path, [nav.CATEGORIES_ITEM, {"Gone": "errors/gone.md"}]))
    assert result.returncode != 0
    assert "nav lists errors/gone.md, but" in _output(result)
    assert "has no category with the slug 'gone'" in _output(result)
