"""MkDocs plugin `error-catalog-publishing`: the chores of publishing the catalog's site, apart from
the catalog and its pages (macros/plugin.py, `error-catalog`, whose catalog and layout it
reads): a hash of their content in the addresses of the site's own files, the redirect rules
for each host, the styles each page's first paint needs written into it, the catalog
folder's sitemap, the theme's unused files left out, and a compressed copy of every text
file.
"""

from __future__ import annotations

import gzip
import hashlib
import posixpath
import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from . import first_paint, hosting
from .layout import ERRORS, SITE
from .plugin import refuse_hand_written

PRECOMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".txt", ".svg", ".md", ".conf"}
# Held in every page rather than published (overrides/main.html): it loads the rest.
ON_DEMAND_SCRIPT = "javascripts/on-demand.js"


class PublishingPluginConfig(Config):
    # The static _redirects rules Cloudflare Pages keeps for this catalog: its limit, less the
    # static rules of a larger site's own _redirects (README: Publishing).
    cloudflare_rules = config_options.Type(int, default=hosting.CLOUDFLARE_STATIC_RULES)
    # The stem of the nginx snippets' names and of their map's variable (macros/hosting.py).
    nginx_name = config_options.Type(str, default=hosting.DEFAULT_NGINX_NAME)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def inline_script(path: Path) -> Markup:
    text = path.read_text(encoding="utf-8")
    if re.search(r"</script|<!--", text, re.IGNORECASE):
        raise PluginError(f"error-catalog-publishing: {path} holds '</script' or '<!--', which would end or hide it in a page")
    return Markup(text)


def theme_bundle(config: MkDocsConfig) -> str:
    """The theme's script, by the name its build gave it (a hash in it): the pages load it on
    demand instead of where the theme's template writes it."""
    found = sorted({path.relative_to(folder).as_posix() for folder in map(Path, config.theme.dirs)
                    for path in folder.glob("assets/javascripts/bundle.*.min.js")})
    if len(found) != 1:
        raise PluginError(f"error-catalog-publishing: expected one theme bundle (assets/javascripts/bundle.*.min.js), found {found}")
    return found[0]


class PublishingPlugin(BasePlugin[PublishingPluginConfig]):

    def _catalog_plugin(self, config: MkDocsConfig):
        catalog = config.plugins.get("error-catalog")
        if catalog is None:
            raise PluginError("error-catalog-publishing: the 'error-catalog' plugin must be enabled in mkdocs.yml")
        return catalog

    # After error-catalog has loaded the catalog, before mkdocs-macros reads config.extra.
    @event_priority(90)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.catalog_plugin = self._catalog_plugin(config)
        if not 0 <= self.config.cloudflare_rules <= hosting.CLOUDFLARE_STATIC_RULES:
            raise PluginError(f"error-catalog-publishing: cloudflare_rules in {config.config_file_path} is "
                              f"{self.config.cloudflare_rules}: Cloudflare Pages keeps 0 to "
                              f"{hosting.CLOUDFLARE_STATIC_RULES} static rules")
        try:
            self.nginx_names = hosting.NginxNames(self.config.nginx_name)
        except hosting.HostingError as error:
            raise PluginError(f"error-catalog-publishing: {config.config_file_path}: {error}") from error
        self._version_own_files(config)
        return config

    def _version_own_files(self, config: MkDocsConfig) -> None:
        """A hash of its content after each of the site's own scripts, stylesheets and
        lookup file (?v=…): hosts may then cache them for long, and a change is fetched anew."""
        # The engine's scripts and stylesheets are theme files (overrides/), not a catalog's
        # pages: every catalog's site serves them.
        theme = Path(config.theme.custom_dir)
        versions = {path.relative_to(theme).as_posix(): content_hash(path.read_bytes())
                    for folder in ("javascripts", "stylesheets") for path in (theme / folder).rglob("*")
                    if path.is_file()}
        for uri, content in self.catalog_plugin.versioned_files().items():
            versions[uri] = content_hash(content.encode("utf-8"))
        config.extra["ojs_versions"] = versions
        config.extra["ojs_theme_bundle"] = theme_bundle(config)
        config.extra["ojs_on_demand_script"] = inline_script(theme / ON_DEMAND_SCRIPT)

        def versioned(path: str) -> str:
            return f"{path}?v={versions[path]}" if path in versions else path
        config.extra_css = [versioned(path) for path in config.extra_css]
        for script in config.extra_javascript:
            if hasattr(script, "path"):
                script.path = versioned(script.path)

    # Before error-catalog's on_files, which puts every file where the layout says.
    @event_priority(110)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        catalog, layout, names = self.catalog_plugin.catalog, self.catalog_plugin.layout, self.nginx_names
        try:
            rules = {
                f"nginx/{names.map_file}": hosting.nginx_map(catalog, layout, names),
                f"nginx/{names.http_file}": hosting.nginx_http(catalog, layout, names),
                f"nginx/{names.server_file}": hosting.nginx_server(layout, names),
                "_redirects": hosting.cloudflare_redirects(catalog, layout, self.config.cloudflare_rules),
                "netlify/_redirects": hosting.netlify_redirects(catalog, layout),
            }
        except hosting.HostingError as error:
            raise PluginError(f"{self.catalog_plugin.catalog_path}: {error}") from error
        for dest_uri, content in rules.items():
            refuse_hand_written(files, dest_uri, "error-catalog-publishing")
            files.append(File.generated(config, dest_uri, content=content))
        inlined = files.get_file_from_path(ON_DEMAND_SCRIPT)
        if inlined is not None:
            files.remove(inlined)
        return files

    # After every on_files: the stylesheets where error-catalog has placed them.
    def on_nav(self, nav, config: MkDocsConfig, files: Files):
        self._stylesheets = {f.dest_uri: Path(f.abs_src_path) for f in files
                             if f.dest_uri.endswith(".css") and f.abs_src_path}
        return nav

    # After minify_html: the styles written into a page are minified already.
    @event_priority(-50)
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        return self._first_paint(output, posixpath.dirname(page.file.dest_uri), config)

    @event_priority(-50)
    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        return self._first_paint(output_content, "", config) if template_name == "404.html" else output_content

    def _first_paint(self, html: str, folder: str, config: MkDocsConfig) -> str:
        """The page with the styles its first paint needs in it (macros/first_paint.py)."""
        try:
            return first_paint.inline_first_paint(html, folder, urlsplit(config.site_url).path or "/",
                                                  self._stylesheets)
        except first_paint.FirstPaintError as error:
            raise PluginError(f"error-catalog-publishing: {error}") from error

    # After error-catalog's on_post_build, which rewrites the alias pages.
    @event_priority(-110)
    def on_post_build(self, config: MkDocsConfig) -> None:
        site = Path(config.site_dir)
        if self.catalog_plugin.layout.name == SITE:
            self._write_catalog_sitemap(site)
        self._drop_unused_assets(site, config)
        self._precompress(site)

    def _write_catalog_sitemap(self, site: Path) -> None:
        """The catalog folder's own sitemap, which the theme asks for beside the pages'
        <link rel="alternate"> (the part layout's sitemap is already there)."""
        namespace = "http://www.sitemaps.org/schemas/sitemap/0.9"
        ElementTree.register_namespace("", namespace)
        tree = ElementTree.parse(site / "sitemap.xml")
        urlset = tree.getroot()
        for url in list(urlset):
            if not url.findtext(f"{{{namespace}}}loc", "").startswith(self.catalog_plugin.layout.errors_url):
                urlset.remove(url)
        tree.write(site / ERRORS / "sitemap.xml", encoding="UTF-8", xml_declaration=True)

    @staticmethod
    def _drop_unused_assets(site: Path, config: MkDocsConfig) -> None:
        """Source maps, and the search's language files when it searches English only:
        half the site's bytes, which no reader's browser asks for."""
        for source_map in site.glob("assets/**/*.map"):
            source_map.unlink()
        for script in site.glob("assets/**/*.js"):
            text = script.read_text(encoding="utf-8")
            if "sourceMappingURL=" in text:
                script.write_text(re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", text), encoding="utf-8")
        search = config.plugins.get("search")
        languages = (search.config.lang if search is not None else None) or [config.theme.get("language", "en")]
        if list(languages) == ["en"]:
            shutil.rmtree(site / "assets" / "javascripts" / "lunr", ignore_errors=True)

    @staticmethod
    def _precompress(site: Path) -> None:
        """A .gz copy beside every text file, for hosts that serve them as they are (gzip_static)."""
        for file in site.rglob("*"):
            if file.suffix in PRECOMPRESSED and file.is_file():
                data = file.read_bytes()
                packed = gzip.compress(data, compresslevel=9, mtime=0)
                if len(packed) < len(data):
                    file.with_name(file.name + ".gz").write_bytes(packed)
