"""A catalog's nav: generated whole when its mkdocs.yml gives none; otherwise the one written
there, with the catalog's categories where it says `- ojs-catalog: categories`, so that the
categories are listed in one place, the catalog file."""

from __future__ import annotations

from collections.abc import Iterator

from mkdocs.exceptions import PluginError
# The nav item a catalog's mkdocs.yml puts where its categories go.
CATEGORIES_ITEM = {"ojs-catalog": "categories"}


def with_categories(nav: list, categories: list[dict[str, str]]) -> list:
    """The nav with CATEGORIES_ITEM, at any depth, replaced by the categories' entries."""
    expanded = []
    for item in nav:
        if item == CATEGORIES_ITEM:
            expanded.extend(categories)
            continue
        value = next(iter(item.values())) if isinstance(item, dict) else item
        expanded.append({next(iter(item)): with_categories(value, categories)} if isinstance(value, list) else item)
    return expanded


def without(nav: list, paths: set[str]) -> list:
    """The nav without the entries for `paths`, at any depth."""
    kept = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            kept.append({next(iter(item)): without(value, paths)})
        elif value not in paths:
            kept.append(item)
    return kept


def pages_of(nav: list) -> Iterator[str]:
    """Every page or link the nav lists, at any depth."""
    for item in nav or []:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            yield from pages_of(value)
        elif isinstance(value, str):
            yield value


def refuse_missing_categories(nav: list, categories: list[dict[str, str]], catalog_path, config_file) -> None:
    """A category the nav leaves out would be a page no reader finds but by a link."""
    listed = set(pages_of(nav))
    missing = [page for entry in categories for page in entry.values() if page not in listed]
    if missing:
        raise PluginError(f"ojs-catalog: the nav of {config_file} does not list {', '.join(missing)}, a category "
                          f"of {catalog_path}: put `- ojs-catalog: categories` where the categories go")
