"""MkDocs plugin `error-catalog`: load the catalog once per build, generate its pages and data
files, register its aliases, and put every file where the layout says. The nav is
macros/nav.py's, the checks of the build's addresses macros/addresses.py's, and the chores
of publishing `error-catalog-publishing`'s (macros/publishing.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from . import addresses, nav, render
from .layout import (CHANGELOG_SRC, ERRORS_DIR, LAYOUTS, MAPPING_PAGE, MAPPING_SRC, OVERVIEW_SRC, PART, SITE,
                     SOURCES_SRC, WIRE_CODES_SRC, Layout, SiteUrlError, category_src, check_site_url, code_src)
from .catalog import CatalogError, load_catalog
from .model import Catalog

LOOKUP_URI = f"{ERRORS_DIR}/codes.json"
CATALOG_JSON_URI = f"{ERRORS_DIR}/catalog.json"
CATALOG_SCHEMA_URI = f"{ERRORS_DIR}/catalog.schema.json"
CATALOG_MARKDOWN_URI = f"{ERRORS_DIR}/catalog.md"
CHANGELOG_FEED_URI = f"{ERRORS_DIR}/changelog.xml"


class CatalogPluginConfig(Config):
    catalog_file = config_options.Type(str, default="data/catalog.yaml")
    # The codes the catalog has published; by default published-codes.json beside it.
    lock_file = config_options.Optional(config_options.Type(str))
    # "part" (openjobspec.org's): the errors/ part of a larger site; "site": the whole site at
    # its host's root (macros/layout.py).
    layout = config_options.Choice(LAYOUTS, default=PART)


# What builds a catalog's site for another address, as every catalog's mkdocs.yml reads it
# (site_url: !ENV [CATALOG_SITE_URL, …]) and make serve sets it.
SITE_URL_VARIABLE = "CATALOG_SITE_URL"


class CatalogPlugin(BasePlugin[CatalogPluginConfig]):
    catalog: Catalog

    # Before mkdocs-macros, whose macros read self.catalog.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).parent
        self.catalog_path = root / self.config.catalog_file
        lock_path = root / self.config.lock_file if self.config.lock_file else \
            self.catalog_path.parent / "published-codes.json"
        try:
            self.catalog = load_catalog(self.catalog_path, lock_path)
        except CatalogError as error:
            raise PluginError(str(error)) from error
        origin = (SITE_URL_VARIABLE if os.environ.get(SITE_URL_VARIABLE) is not None
                  else f"site_url in {config.config_file_path}")
        try:
            site_url = check_site_url(config.site_url or "", origin)
        except SiteUrlError as error:
            raise PluginError(str(error)) from error
        self.layout = Layout.published_at(self.config.layout, site_url)
        config.site_url = self.layout.site_url
        # For the theme's templates: the catalog's folder, relative to the build's root.
        config.extra["ojs_errors_path"] = self.layout.errors_dir or "./"
        if self.layout.name == PART and config.nav is not None:
            # No home page in a part of another site: its nav starts at the catalog.
            config.nav = [item for item in config.nav if not (isinstance(item, dict) and "index.md" in item.values())]
        self._register_aliases(config)
        self.lookup = render.code_lookup(self.catalog)  # published in on_files
        self._generated: set[str] = set()
        return config

    def versioned_files(self) -> dict[str, str]:
        """The data files pages ask for by a hash of their content (error-catalog-publishing adds it)."""
        return {LOOKUP_URI: self.lookup}

    def _register_aliases(self, config: MkDocsConfig) -> None:
        redirects = config.plugins.get("redirects")
        if redirects is None:
            raise PluginError("error-catalog: the 'redirects' plugin must be enabled in mkdocs.yml")
        for code in self.catalog.codes:
            if code.alias:
                # The alias is written where mkdocs-redirects is told: already in this layout.
                alias = f"{self.layout.errors_dir}{code.alias}.md"
                redirects.config["redirect_maps"][alias] = code_src(code.code)

    # Before mkdocs-redirects records the known pages in its own on_files.
    @event_priority(100)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        errors_url = self.layout.errors_url
        mapping_page = MAPPING_PAGE if files.get_file_from_path(MAPPING_SRC) else None
        # For the theme's 404 page: a link to the mapping page if there is one, and examples to type.
        config.extra["ojs_mapping_page"] = f"{mapping_page}/" if mapping_page else ""
        config.extra["ojs_example_forms"] = ", ".join(self.catalog.example_forms)
        pages = {}
        # The catalog's overview, unless its docs/ has one of its own.
        if files.get_file_from_path(OVERVIEW_SRC) is None:
            pages[OVERVIEW_SRC] = (render.overview_page(self.catalog), InclusionLevel.UNDEFINED)
        pages.update({category_src(c.slug): (render.category_page(self.catalog, c, mapping_page),
                                             InclusionLevel.UNDEFINED) for c in self.catalog.categories})
        pages.update({code_src(c.code): (render.code_page(self.catalog, c, errors_url), InclusionLevel.NOT_IN_NAV)
                      for c in self.catalog.codes})
        pages.update({f"{ERRORS_DIR}/{w.page}.md": (render.wire_page(self.catalog, w, mapping_page),
                                                    InclusionLevel.NOT_IN_NAV) for w in self.catalog.wire_codes})
        # The pages of what the catalog has: wire codes, versions, cited documents.
        if self.catalog.wire_codes:
            pages[WIRE_CODES_SRC] = (render.wire_codes_page(self.catalog), InclusionLevel.UNDEFINED)
        if self.catalog.version:
            pages[CHANGELOG_SRC] = (render.changelog_page(self.catalog), InclusionLevel.UNDEFINED)
        if self.catalog.documents:
            pages[SOURCES_SRC] = (render.sources_page(self.catalog), InclusionLevel.UNDEFINED)
        for src_uri, (content, inclusion) in pages.items():
            refuse_hand_written(files, src_uri, "error-catalog")
            files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
            self._generated.add(src_uri)
        addresses.refuse_case_collisions(self.catalog, files, self.catalog_path)
        with_home = self.layout.name == SITE and files.get_file_from_path("index.md") is not None
        config.nav = nav.catalog_nav(config.nav, self.catalog, files, self._generated, self.catalog_path,
                                     config.config_file_path, with_home=with_home)

        # Files for tools rather than readers, copied as they are.
        for dest_uri, content in self._published(config, files).items():
            # A source named *.md would become a page: give it another name, keep its address.
            src_uri = dest_uri + ".txt" if dest_uri.endswith(".md") else dest_uri
            refuse_hand_written(files, src_uri, "error-catalog")
            file = File.generated(config, src_uri, content=content)
            file.dest_uri = dest_uri
            files.append(file)
        self._place(files)
        addresses.refuse_forms_at_files(self.catalog, files, self.layout.errors_dir, self.catalog_path)
        return files

    def _hand_written_pages(self, files: Files) -> list[tuple[str, str, str]]:
        """(title, address in the catalog's folder, description) of the catalog's hand-written
        pages in errors/, from their front matter, for llms.txt."""
        found = []
        for file in sorted(files.documentation_pages(), key=lambda f: f.src_uri):
            if not file.src_uri.startswith(f"{ERRORS_DIR}/") or file.src_uri in self._generated \
                    or file.src_uri == OVERVIEW_SRC:
                continue
            _, meta = get_data(file.content_string)
            name = file.src_uri[len(ERRORS_DIR) + 1:].removesuffix(".md")
            found.append((str(meta.get("title", name)), f"{name}/", str(meta.get("description", ""))))
        return found

    def _published(self, config: MkDocsConfig, files: Files) -> dict[str, str]:
        errors_url = self.layout.errors_url
        published = {
            LOOKUP_URI: self.lookup,
            CATALOG_JSON_URI: render.catalog_json(self.catalog, errors_url),
            CATALOG_SCHEMA_URI: render.published_schema(self.catalog, errors_url),
            CATALOG_MARKDOWN_URI: render.catalog_markdown(self.catalog, errors_url),
            "llms.txt": render.llms_txt(self.catalog, errors_url, self._hand_written_pages(files)),
            "robots.txt": render.robots_txt(config.site_url),
        }
        if self.catalog.version:
            published[CHANGELOG_FEED_URI] = render.changelog_feed(self.catalog, errors_url)
        return published

    def _place(self, files: Files) -> None:
        """Write each file where this layout puts it (sources, and so links, stay as they are)."""
        if self.layout.name == SITE:
            return
        for file in list(files):
            dest = self.layout.dest(file.dest_uri)
            if dest is None:
                files.remove(file)
            else:
                file.dest_uri = dest

    # After mkdocs-redirects has written the alias pages.
    @event_priority(-100)
    def on_post_build(self, config: MkDocsConfig) -> None:
        """Alias pages name their code's page as canonical by its full address, for search engines."""
        for code in self.catalog.codes:
            if not code.alias:
                continue
            alias = Path(config.site_dir) / f"{self.layout.errors_dir}{code.alias}" / "index.html"
            html = alias.read_text(encoding="utf-8")
            relative = f'<link rel="canonical" href="../{code.code}/">'
            if relative not in html:
                raise PluginError(f"error-catalog: the alias page {alias} has no canonical link to rewrite")
            absolute = f'<link rel="canonical" href="{self.layout.errors_url}{code.code}/">'
            alias.write_text(html.replace(relative, absolute), encoding="utf-8")

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        src_uri = page.file.src_uri
        if src_uri in self._generated:
            # A front matter MkDocs cannot parse is dropped without a word: fail instead.
            if page.meta.get(render.GENERATED_MARK) is not True:
                raise PluginError(f"error-catalog: the front matter of the generated page {src_uri} was not "
                                  f"read; the text of {self.catalog_path} has broken it")
        else:
            linked = set(re.findall(r"[\w-]+(?=\.md\b)", markdown))
            for code in sorted(c for c in linked if self.catalog.code_format.parts(c) is not None):
                if code_src(code) not in self._generated:
                    raise PluginError(f"error-catalog: docs/{src_uri} links to {code}, which "
                                      f"{self.catalog_path} does not have")
        return markdown


def refuse_hand_written(files: Files, src_uri: str, plugin: str) -> None:
    """A file in docs/ at the address of a generated one would silently lose to it, or win."""
    if files.get_file_from_path(src_uri) is not None:
        raise PluginError(f"{plugin}: docs/{src_uri} is generated; remove the file from docs/")


