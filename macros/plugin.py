"""MkDocs glue: load the catalog once per build, generate its pages, register its aliases."""

from __future__ import annotations

import gzip
import hashlib
import os
import posixpath
import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from markupsafe import Markup

from . import first_paint, hosting, render
from .forms import pages_and_forms
from .layout import ERRORS, LAYOUTS, PART, SITE, Layout, SiteUrlError, check_site_url, default_site_url
from .catalog import CatalogError, load_catalog
from .model import Catalog

ERRORS_DIR = ERRORS.rstrip("/")  # in the sources; the build puts it where the layout says
CHANGELOG_SRC = f"{ERRORS_DIR}/changelog.md"
SOURCES_SRC = f"{ERRORS_DIR}/sources.md"
WIRE_CODES_SRC = f"{ERRORS_DIR}/wire-codes.md"
LOOKUP_URI = f"{ERRORS_DIR}/codes.json"
CATALOG_JSON_URI = f"{ERRORS_DIR}/catalog.json"
CATALOG_SCHEMA_URI = f"{ERRORS_DIR}/catalog.schema.json"
CATALOG_MARKDOWN_URI = f"{ERRORS_DIR}/catalog.md"
CHANGELOG_FEED_URI = f"{ERRORS_DIR}/changelog.xml"
PRECOMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".txt", ".svg", ".md", ".conf"}
PUBLISHED_SCHEMA = Path(__file__).resolve().parent.parent / "data" / "catalog-json.schema.json"


class CatalogPluginConfig(Config):
    catalog_file = config_options.Type(str, default="data/catalog.yaml")
    # The codes the catalog has published; by default published-codes.json beside it.
    lock_file = config_options.Optional(config_options.Type(str))
    # "part" (openjobspec.org's): the errors/ part of a larger site; "site": the whole site at
    # its host's root (macros/layout.py).
    layout = config_options.Choice(LAYOUTS, default=PART)
    # The static _redirects rules Cloudflare Pages keeps for this catalog: its limit, less the
    # static rules of a larger site's own _redirects (README: Publishing).
    cloudflare_rules = config_options.Type(int, default=hosting.CLOUDFLARE_STATIC_RULES)


# Held in every page rather than published (overrides/main.html): it loads the rest.
ON_DEMAND_SCRIPT = "javascripts/on-demand.js"


def inline_script(path: Path) -> Markup:
    text = path.read_text(encoding="utf-8")
    if re.search(r"</script|<!--", text, re.IGNORECASE):
        raise PluginError(f"ojs-catalog: {path} holds '</script' or '<!--', which would end or hide it in a page")
    return Markup(text)


def theme_bundle(config: MkDocsConfig) -> str:
    """The theme's script, by the name its build gave it (a hash in it): the pages load it on
    demand instead of where the theme's template writes it."""
    found = sorted({path.relative_to(folder).as_posix() for folder in map(Path, config.theme.dirs)
                    for path in folder.glob("assets/javascripts/bundle.*.min.js")})
    if len(found) != 1:
        raise PluginError(f"ojs-catalog: expected one theme bundle (assets/javascripts/bundle.*.min.js), found {found}")
    return found[0]


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
        if not 0 <= self.config.cloudflare_rules <= hosting.CLOUDFLARE_STATIC_RULES:
            raise PluginError(f"ojs-catalog: cloudflare_rules in {config.config_file_path} is "
                              f"{self.config.cloudflare_rules}: Cloudflare Pages keeps 0 to "
                              f"{hosting.CLOUDFLARE_STATIC_RULES} static rules")
        origin = "OJS_SITE_URL" if os.environ.get("OJS_SITE_URL") is not None else f"site_url in {config.config_file_path}"
        try:
            site_url = check_site_url(config.site_url or "", origin)
        except SiteUrlError as error:
            raise PluginError(str(error)) from error
        config.site_url = default_site_url(self.config.layout, site_url)
        self.layout = Layout(self.config.layout, config.site_url)
        # For the theme's templates: the catalog's folder, relative to the build's root.
        config.extra["ojs_errors_path"] = self.layout.errors_dir or "./"
        if self.layout.name == PART:
            # No home page in a part of another site: its nav starts at the catalog.
            config.nav = [item for item in config.nav or [] if not (isinstance(item, dict) and "index.md" in item.values())]
        self._register_aliases(config)
        self._version_own_files(config)
        self._generated: set[str] = set()
        return config

    def _version_own_files(self, config: MkDocsConfig) -> None:
        """A hash of its content after each of the site's own scripts, stylesheets and
        lookup file (?v=…): hosts may then cache them for long, and a change is fetched anew."""
        docs = Path(config.docs_dir)
        versions = {path.relative_to(docs).as_posix(): content_hash(path.read_bytes())
                    for folder in ("javascripts", "stylesheets") for path in (docs / folder).rglob("*")
                    if path.is_file()}
        self.lookup = render.code_lookup(self.catalog)  # published in on_files, under this hash
        versions[LOOKUP_URI] = content_hash(self.lookup.encode("utf-8"))
        config.extra["ojs_versions"] = versions
        config.extra["ojs_theme_bundle"] = theme_bundle(config)
        config.extra["ojs_on_demand_script"] = inline_script(Path(config.docs_dir) / ON_DEMAND_SCRIPT)

        def versioned(path: str) -> str:
            return f"{path}?v={versions[path]}" if path in versions else path
        config.extra_css = [versioned(path) for path in config.extra_css]
        for script in config.extra_javascript:
            if hasattr(script, "path"):
                script.path = versioned(script.path)

    def _register_aliases(self, config: MkDocsConfig) -> None:
        redirects = config.plugins.get("redirects")
        if redirects is None:
            raise PluginError("ojs-catalog: the 'redirects' plugin must be enabled in mkdocs.yml")
        for code in self.catalog.codes:
            if code.canonical_code:
                # The alias is written where mkdocs-redirects is told: already in this layout.
                alias = f"{self.layout.errors_dir}{code.canonical_code}.md"
                redirects.config["redirect_maps"][alias] = code_src(code.code)

    # Before mkdocs-redirects records the known pages in its own on_files.
    @event_priority(100)
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        errors_url = self.layout.errors_url
        pages = {category_src(c.slug): (render.category_page(self.catalog, c), InclusionLevel.UNDEFINED)
                 for c in self.catalog.categories}
        pages.update({code_src(c.code): (render.code_page(self.catalog, c, errors_url), InclusionLevel.NOT_IN_NAV)
                      for c in self.catalog.codes})
        pages.update({f"{ERRORS_DIR}/{w.page}.md": (render.wire_page(self.catalog, w), InclusionLevel.NOT_IN_NAV)
                      for w in self.catalog.wire_codes})
        pages[WIRE_CODES_SRC] = (render.wire_codes_page(self.catalog), InclusionLevel.UNDEFINED)
        pages[CHANGELOG_SRC] = (render.changelog_page(self.catalog), InclusionLevel.UNDEFINED)
        pages[SOURCES_SRC] = (render.sources_page(self.catalog), InclusionLevel.UNDEFINED)
        for src_uri, (content, inclusion) in pages.items():
            self._refuse_hand_written(files, src_uri)
            files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
            self._generated.add(src_uri)
        self._refuse_case_collisions(files)
        self._refuse_nav_without_page(files, config)

        # Files for tools rather than readers, copied as they are.
        try:
            published = self._published(config)
        except hosting.HostingError as error:
            raise PluginError(f"{self.catalog_path}: {error}") from error
        for dest_uri, content in published.items():
            # A source named *.md would become a page: give it another name, keep its address.
            src_uri = dest_uri + ".txt" if dest_uri.endswith(".md") else dest_uri
            self._refuse_hand_written(files, src_uri)
            file = File.generated(config, src_uri, content=content)
            file.dest_uri = dest_uri
            files.append(file)
        inlined = files.get_file_from_path(ON_DEMAND_SCRIPT)
        if inlined is not None:
            files.remove(inlined)
        self._place(files)
        self._refuse_forms_at_addresses_of_files(files)
        self._stylesheets = {f.dest_uri: Path(f.abs_src_path) for f in files
                             if f.dest_uri.endswith(".css") and f.abs_src_path}
        return files

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
            raise PluginError(f"ojs-catalog: {error}") from error

    def _published(self, config: MkDocsConfig) -> dict[str, str]:
        errors_url = self.layout.errors_url
        return {
            LOOKUP_URI: self.lookup,
            CATALOG_JSON_URI: render.catalog_json(self.catalog, errors_url),
            CATALOG_SCHEMA_URI: PUBLISHED_SCHEMA.read_text(encoding="utf-8"),
            CATALOG_MARKDOWN_URI: render.catalog_markdown(self.catalog, errors_url),
            "llms.txt": render.llms_txt(self.catalog, errors_url),
            "robots.txt": render.robots_txt(config.site_url),
            CHANGELOG_FEED_URI: render.changelog_feed(self.catalog, errors_url),
            # Redirect rules for hosts that allow them (README: Publishing).
            "nginx/ojs-errors-map.conf": hosting.nginx_map(self.catalog, self.layout),
            "nginx/ojs-errors-http.conf": hosting.nginx_http(self.catalog, self.layout),
            "nginx/ojs-errors-server.conf": hosting.nginx_server(self.layout),
            "_redirects": hosting.cloudflare_redirects(self.catalog, self.layout, self.config.cloudflare_rules),
            "netlify/_redirects": hosting.netlify_redirects(self.catalog, self.layout),
        }

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
            if not code.canonical_code:
                continue
            alias = Path(config.site_dir) / f"{self.layout.errors_dir}{code.canonical_code}" / "index.html"
            html = alias.read_text(encoding="utf-8")
            relative = f'<link rel="canonical" href="../{code.code}/">'
            if relative not in html:
                raise PluginError(f"ojs-catalog: the alias page {alias} has no canonical link to rewrite")
            absolute = f'<link rel="canonical" href="{self.layout.errors_url}{code.code}/">'
            alias.write_text(html.replace(relative, absolute), encoding="utf-8")
        site = Path(config.site_dir)
        if self.layout.name == SITE:
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
            if not url.findtext(f"{{{namespace}}}loc", "").startswith(self.layout.errors_url):
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

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        src_uri = page.file.src_uri
        if src_uri in self._generated:
            # A front matter MkDocs cannot parse is dropped without a word: fail instead.
            if page.meta.get(render.GENERATED_MARK) is not True:
                raise PluginError(f"ojs-catalog: the front matter of the generated page {src_uri} was not "
                                  f"read; the text of {self.catalog_path} has broken it")
        else:
            for code in sorted(set(re.findall(r"\bOJS-[0-9]{4}(?=\.md\b)", markdown))):
                if code_src(code) not in self._generated:
                    raise PluginError(f"ojs-catalog: docs/{src_uri} links to {code}, which "
                                      f"{self.catalog_path} does not have")
        return markdown

    def _refuse_case_collisions(self, files: Files) -> None:
        """An alias errors/CHANGELOG/ would be the page errors/changelog/ on many hosts."""
        pages = {}
        for file in files:
            folder = file.dest_uri.rsplit("/", 1)[0] if file.dest_uri.endswith("/index.html") else file.dest_uri
            pages.setdefault(folder.casefold(), folder)
        for code in self.catalog.codes:
            if code.canonical_code:
                alias = f"{ERRORS_DIR}/{code.canonical_code}"
                if alias.casefold() in pages:
                    raise PluginError(f"{self.catalog_path}: code {code.code}: field 'canonical_code': "
                                      f"its address {alias}/ is the page {pages[alias.casefold()]} of the site "
                                      "but for case; choose another canonical code")

    def _refuse_forms_at_addresses_of_files(self, files: Files) -> None:
        """A form of a code is an address every host redirects to the code's page: it must
        not be the address of a page or file of the build, in any case (nginx folds case,
        Cloudflare and Netlify take each form as written and in lower case)."""
        catalog_dir = self.layout.errors_dir
        taken: dict[str, str] = {}
        for file in files:
            if not file.dest_uri.startswith(catalog_dir):
                continue
            address = file.dest_uri[len(catalog_dir):]
            folder, _, rest = address.partition("/")
            if rest == "index.html":
                taken.setdefault(folder.casefold(), f"the page {folder}/")
            elif rest:  # a file in a folder: the folder is an address too (assets/, nginx/)
                taken.setdefault(folder.casefold(), f"the folder {folder}/")
            else:
                taken.setdefault(address.casefold(), f"the file {address}")
        problems = []
        for name, forms in pages_and_forms(self.catalog):
            for form in forms:
                other = taken.get(form.text.casefold())
                if other is not None and form.text.casefold() != name.casefold():
                    problems.append(f"{self.catalog_path}: {name}: its form {form.text} ({form.kind}) is the "
                                    f"address of {other} of the site, which every host would redirect to "
                                    f"{name}: choose another")
        if problems:
            raise PluginError("\n".join(problems))

    def _refuse_nav_without_page(self, files: Files, config: MkDocsConfig) -> None:
        def paths(nav):
            for item in nav or []:
                value = next(iter(item.values())) if isinstance(item, dict) else item
                if isinstance(value, list):
                    yield from paths(value)
                elif isinstance(value, str):
                    yield value
        for path in paths(config.nav):
            if path.endswith(".md") and files.get_file_from_path(path) is None:
                slug = path.removeprefix(f"{ERRORS_DIR}/").removesuffix(".md")
                raise PluginError(f"ojs-catalog: mkdocs.yml's nav lists {path}, but {self.catalog_path} has "
                                  f"no category with the slug '{slug}': change the nav with the categories")

    @staticmethod
    def _refuse_hand_written(files: Files, src_uri: str) -> None:
        if files.get_file_from_path(src_uri) is not None:
            raise PluginError(f"ojs-catalog: docs/{src_uri} is generated from the catalog; "
                              "remove the file from docs/")


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def code_src(code: str) -> str:
    return f"{ERRORS_DIR}/{code}.md"


def category_src(slug: str) -> str:
    return f"{ERRORS_DIR}/{slug}.md"

