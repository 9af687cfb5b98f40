"""A catalog's nav: generated whole when its mkdocs.yml gives none; otherwise the one written
there, with the catalog's categories where it says `- error-catalog: categories`, so that the
categories are listed in one place, the catalog file."""

from __future__ import annotations

from collections.abc import Iterator

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from .layout import CHANGELOG_SRC, ERRORS_DIR, OVERVIEW_SRC, SOURCES_SRC, WIRE_CODES_SRC, category_src
from .model import Catalog

# The nav item a catalog's mkdocs.yml puts where its categories go.
CATEGORIES_ITEM = {"error-catalog": "categories"}
# The generated lists, in the order a generated nav gives them, where the catalog has them.
GENERATED_LISTS = (WIRE_CODES_SRC, CHANGELOG_SRC, SOURCES_SRC)


def catalog_nav(written: list | None, catalog: Catalog, files: Files, generated: set[str], catalog_path,
                config_file, *, with_home: bool) -> list:
    """The nav of the build: the one `written` in mkdocs.yml, with the catalog's categories and
    without the generated lists the catalog lacks, or else one generated whole. `generated`
    holds the sources of the pages the plugin generated."""
    categories = [{c.nav_label: category_src(c.slug)} for c in catalog.categories]
    if written is None:
        built = _generated(catalog.title, categories, files, generated, with_home)
    else:
        built = without(with_categories(written, categories), set(GENERATED_LISTS) - generated)
        refuse_missing_categories(built, categories, catalog_path, config_file)
    _refuse_pages_not_built(built, files, catalog_path)
    return built


def _generated(title: str, categories: list[dict[str, str]], files: Files, generated: set[str],
               with_home: bool) -> list:
    """The home page if asked, then the catalog's section: the overview, the categories, the
    catalog's hand-written pages in errors/ and the generated lists."""
    listed = {OVERVIEW_SRC, *GENERATED_LISTS, *(page for entry in categories for page in entry.values())}
    hand_written = sorted(f.src_uri for f in files.documentation_pages()
                          if f.src_uri.startswith(f"{ERRORS_DIR}/") and f.src_uri not in listed
                          and f.src_uri not in generated)
    section = [OVERVIEW_SRC, *categories, *hand_written, *(src for src in GENERATED_LISTS if src in generated)]
    return ([{"Home": "index.md"}] if with_home else []) + [{title: section}]


def _split(item) -> tuple[str | None, str | list]:
    """A nav item's label (None for a bare page) and its page or sub-list."""
    return next(iter(item.items())) if isinstance(item, dict) else (None, item)


def with_categories(nav: list, categories: list[dict[str, str]]) -> list:
    """The nav with CATEGORIES_ITEM, at any depth, replaced by the categories' entries."""
    expanded = []
    for item in nav:
        if item == CATEGORIES_ITEM:
            expanded.extend(categories)
            continue
        label, value = _split(item)
        expanded.append({label: with_categories(value, categories)} if isinstance(value, list) else item)
    return expanded


def without(nav: list, paths: set[str]) -> list:
    """The nav without the entries for `paths`, at any depth."""
    kept = []
    for item in nav:
        label, value = _split(item)
        if isinstance(value, list):
            kept.append({label: without(value, paths)})
        elif value not in paths:
            kept.append(item)
    return kept


def pages_of(nav: list) -> Iterator[str]:
    """Every page or link the nav lists, at any depth."""
    for item in nav or []:
        _, value = _split(item)
        if isinstance(value, list):
            yield from pages_of(value)
        elif isinstance(value, str):
            yield value


def refuse_missing_categories(nav: list, categories: list[dict[str, str]], catalog_path, config_file) -> None:
    """A category the nav leaves out would be a page no reader finds but by a link."""
    listed = set(pages_of(nav))
    missing = [page for entry in categories for page in entry.values() if page not in listed]
    if missing:
        raise PluginError(f"error-catalog: the nav of {config_file} does not list {', '.join(missing)}, a category "
                          f"of {catalog_path}: put `- error-catalog: categories` where the categories go")


def _refuse_pages_not_built(built: list, files: Files, catalog_path) -> None:
    """A nav entry for a category the catalog lacks would be a broken link in every page."""
    for path in pages_of(built):
        if path.endswith(".md") and files.get_file_from_path(path) is None:
            slug = path.removeprefix(f"{ERRORS_DIR}/").removesuffix(".md")
            raise PluginError(f"error-catalog: mkdocs.yml's nav lists {path}, but {catalog_path} has no category "
                              f"with the slug '{slug}': list the categories with `- error-catalog: categories` instead")
