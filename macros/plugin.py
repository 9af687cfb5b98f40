"""MkDocs glue: load the catalog once per build, generate its pages, register its aliases."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from . import render
from .catalog import Catalog, CatalogError, load_catalog

ERRORS_DIR = "errors"
LOOKUP_SRC = f"{ERRORS_DIR}/codes.json"
CHANGELOG_SRC = f"{ERRORS_DIR}/changelog.md"
CATALOG_JSON_SRC = f"{ERRORS_DIR}/catalog.json"
CATALOG_SCHEMA_SRC = f"{ERRORS_DIR}/catalog.schema.json"
# Markdown that is a file to download, not a page: MkDocs would render an .md file.
CATALOG_MARKDOWN_SRC = f"{ERRORS_DIR}/catalog.md.txt"
PUBLISHED_SCHEMA = Path(__file__).resolve().parent.parent / "data" / "catalog-json.schema.json"


class CatalogPluginConfig(Config):
    catalog_file = config_options.Type(str, default="data/catalog.yaml")


class CatalogPlugin(BasePlugin[CatalogPluginConfig]):
    catalog: Catalog

    # Before mkdocs-macros, whose macros read self.catalog.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        catalog_path = Path(config.config_file_path).parent / self.config.catalog_file
        try:
            self.catalog = load_catalog(catalog_path)
        except CatalogError as error:
            raise PluginError(str(error)) from error
        self._register_aliases(config)
        return config

    def _register_aliases(self, config: MkDocsConfig) -> None:
        redirects = config.plugins.get("redirects")
        if redirects is None:
            raise PluginError("ojs-catalog: the 'redirects' plugin must be enabled in mkdocs.yml")
        for code in self.catalog.codes:
            if code.canonical_code:
                redirects.config["redirect_maps"][alias_src(code.canonical_code)] = code_src(code.code)

    # Before mkdocs-redirects records the known pages in its own on_files.
    @event_priority(100)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        site_url = config.site_url or ""
        pages = {category_src(c.slug): (render.category_page(self.catalog, c), InclusionLevel.UNDEFINED)
                 for c in self.catalog.categories}
        pages.update({code_src(c.code): (render.code_page(self.catalog, c, site_url), InclusionLevel.NOT_IN_NAV)
                      for c in self.catalog.codes})
        pages[CHANGELOG_SRC] = (render.changelog_page(self.catalog), InclusionLevel.UNDEFINED)
        # Files for tools rather than readers; not pages, so MkDocs copies them as they are.
        pages[LOOKUP_SRC] = (render.code_lookup(self.catalog), InclusionLevel.UNDEFINED)
        pages[CATALOG_JSON_SRC] = (render.catalog_json(self.catalog, site_url), InclusionLevel.UNDEFINED)
        pages[CATALOG_SCHEMA_SRC] = (PUBLISHED_SCHEMA.read_text(encoding="utf-8"), InclusionLevel.UNDEFINED)
        pages[CATALOG_MARKDOWN_SRC] = (render.catalog_markdown(self.catalog, site_url), InclusionLevel.UNDEFINED)
        pages["llms.txt"] = (render.llms_txt(self.catalog, site_url), InclusionLevel.UNDEFINED)
        for src_uri, (content, inclusion) in pages.items():
            if files.get_file_from_path(src_uri) is not None:
                raise PluginError(f"ojs-catalog: docs/{src_uri} is generated from the catalog; "
                                  "remove the file from docs/")
            file = File.generated(config, src_uri, content=content, inclusion=inclusion)
            if src_uri == CATALOG_MARKDOWN_SRC:
                file.dest_uri = src_uri.removesuffix(".txt")
            files.append(file)
        return files


def code_src(code: str) -> str:
    return f"{ERRORS_DIR}/{code}.md"


def category_src(slug: str) -> str:
    return f"{ERRORS_DIR}/{slug}.md"


def alias_src(canonical_code: str) -> str:
    return f"{ERRORS_DIR}/{canonical_code}.md"
