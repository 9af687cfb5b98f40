"""Redirect rules for hosts that allow them, generated from the catalog's forms.

On such a host every form of a code (macros/forms.py) answers with a single 301 to the
code's page, instead of an alias page with a meta refresh or the 404 page's script.
A form several errors share (a wire code such as invalid_request) gets no rule: the 404
page lists its codes. nginx matches map strings ignoring case, so no rule may be the
code's own page under another case: that would redirect the page to itself.

Netlify and Cloudflare Pages read a `_redirects` file and match its paths case-sensitively,
so they get each form as it is written and in lower case; what no rule names (another mix
of cases, a form with a character the file's syntax reserves) reaches the 404 page, whose
script sends it on. The two hosts read one syntax differently (checked with their own
local servers, tests/test_hosts.py):
- Cloudflare Pages applies a rule even where a file exists, matches a path exactly (so a
  form is listed with and without its slash), serves the nearest 404.html for a missing
  path by itself, allows 2,000 such rules, and ignores a line whose status is not one of
  its redirect statuses (so neither Netlify's `301!` nor a `404` rule).
- Netlify applies a rule where a file exists (the alias pages) only when it is forced
  (`301!`), matches a path with or without its slash, and needs a rule to serve a 404 page
  under /errors/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .forms import pages_and_forms
from .layout import Layout
from .model import Catalog

SUFFIXES = ("", "/", "/index.html")

# The forms a reader types into an address bar come first, and then those the catalog
# declares (code_format.forms): where a host limits the number of rules, SDK constants are
# left to the 404 page before these are.
ADDRESS_BAR_KINDS = ("code", "canonical code", "wire code", "number", "name")
# In a _redirects path ":" starts a placeholder and "*" is a splat.
REDIRECTS_SYNTAX = re.compile(r"[:*!#\s]")
CLOUDFLARE_STATIC_RULES = 2000  # Cloudflare Pages' limit on rules without placeholders


def redirects(catalog: Catalog, layout: Layout) -> dict[str, str]:
    """Every address a reader may type for a code or a wire code, and the page it goes to.
    The forms are the search box's and the 404 page's (macros/forms.py): one rule for all."""
    errors = layout.errors_path
    table: dict[str, str] = {}
    for name, forms in pages_and_forms(catalog):
        page = f"{errors}{name}/"
        own = {page.casefold(), f"{page}index.html".casefold()}
        for text in sorted({f.text for f in forms}):
            for suffix in SUFFIXES:
                address = f"{errors}{text}{suffix}"
                if address.casefold() not in own:
                    table.setdefault(address.casefold(), page)
    return table


# What nginx reads as it is inside a quoted string: anything else ($, a quote, a backslash, a
# brace, a semicolon or a space) would be a variable or syntax. Validated catalogs and site
# addresses hold nothing else; a value that does is refused, never written.
_NGINX_LITERAL = re.compile(r"[A-Za-z0-9._~:/!*+,=@<>()?^|-]*")


class HostingError(ValueError):
    """A value a server's or host's rule file cannot hold as it is."""


def nginx_literal(value: str) -> str:
    if not _NGINX_LITERAL.fullmatch(value) or "${" in value:
        raise HostingError(f"{value!r} cannot be written into nginx's configuration as it is")
    return value


# The stem of a site's nginx snippets and its map's variable, unless its mkdocs.yml names
# another (nginx_name): two catalogs served by one nginx each need their own.
DEFAULT_NGINX_NAME = "error-catalog"
_NGINX_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


@dataclass(frozen=True)
class NginxNames:
    """nginx/STEM-map.conf, STEM-http.conf and STEM-server.conf, and the map's $STEM_redirect."""
    stem: str = DEFAULT_NGINX_NAME

    def __post_init__(self) -> None:
        if not _NGINX_NAME.fullmatch(self.stem):
            raise HostingError(f"nginx_name {self.stem!r} is not lower-case words joined by hyphens "
                               "(error-catalog): it names files and an nginx variable")

    @property
    def map_file(self) -> str:
        return f"{self.stem}-map.conf"

    @property
    def http_file(self) -> str:
        return f"{self.stem}-http.conf"

    @property
    def server_file(self) -> str:
        return f"{self.stem}-server.conf"

    @property
    def variable(self) -> str:
        return "$" + self.stem.replace("-", "_") + "_redirect"

    @classmethod
    def written_in(cls, folder: Path) -> NginxNames:
        """The names of the snippets a build wrote to `folder` (its nginx/)."""
        found = sorted(path.name.removesuffix("-map.conf") for path in folder.glob("*-map.conf"))
        if len(found) != 1:
            raise HostingError(f"{folder}: expected one nginx map snippet (*-map.conf), found {found}")
        return cls(found[0])


def nginx_map(catalog: Catalog, layout: Layout, names: NginxNames = NginxNames()) -> str:
    lines = [
        "# The error catalog's redirects, generated from the catalog: include at the http level,",
        f"# with {names.http_file} (or map hash sizes at least as large). Every form of a code a",
        "# reader may type, in any case, to the code's page.",
        f"map $uri {names.variable} {{",
        '    default "";',
    ]
    lines += [f'    "{nginx_literal(address)}" "{nginx_literal(page)}";'
              for address, page in sorted(redirects(catalog, layout).items())]
    # The page itself in another case, with its slash: a string would also match the page
    # itself, so a case-sensitive expression leaves the page out and matches the rest.
    errors = re.escape(nginx_literal(layout.errors_path))
    for name, _ in pages_and_forms(catalog):
        page = f"{layout.errors_path}{name}/"
        own = re.escape(nginx_literal(name))
        lines.append(f'    "~^{errors}(?!{own}/)(?i:{own})/(?:index\\.html)?$" "{nginx_literal(page)}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def nginx_http(catalog: Catalog, layout: Layout, names: NginxNames = NginxNames()) -> str:
    """The http-level settings the map needs, sized from its longest address and its count:
    nginx refuses to start with a map its hash cannot hold."""
    addresses = list(redirects(catalog, layout))
    longest = max((len(a) for a in addresses), default=0)
    bucket = 64
    while bucket < longest + 32:  # an entry is its key, its length and a pointer
        bucket *= 2
    size = 1024
    while size < 2 * len(addresses):
        size *= 2
    return (
        f"# The map hash sizes {names.map_file} needs: include once at the http level. If your\n"
        "# configuration sets map_hash_max_size or map_hash_bucket_size already, keep the larger\n"
        "# of each and leave this file out: nginx refuses a directive given twice.\n"
        f"map_hash_max_size {size};\n"
        f"map_hash_bucket_size {bucket};\n"
    )


_IMMUTABLE = 'add_header Cache-Control "public, max-age=31536000, immutable";'


def nginx_server(layout: Layout, names: NginxNames = NginxNames()) -> str:
    base, errors = nginx_literal(layout.base_path), nginx_literal(layout.errors_path)
    # Settings of the catalog's own: in a whole site they are the server's; in a part of
    # another site they stay in the part's location, so the host's other pages keep theirs.
    settings = [
        f"error_page 404 {base}404.html;",
        "# The build writes a compressed copy (.gz) of every text file: serve it where asked for.",
        "gzip_static on;",
        "gzip_vary on;",
        "# Redirects name a path, not the Host header the client sent.",
        "absolute_redirect off;",
    ]
    catalog = [
        f"if ({names.variable}) {{",
        f"    return 301 {names.variable};",
        "}",
        "# What exists is served; a folder without its slash is sent to it, so relative links hold.",
        "try_files $uri $uri/ =404;",
        "# The site's own scripts, stylesheet and lookup file are asked for with a hash of their",
        "# content (?v=): those never change. A page is never kept as immutable.",
        "location ~ \\.(?:js|css|json)$ {",
        "    if ($arg_v) {",
        f"        {_IMMUTABLE}",
        "    }",
        "}",
    ]
    assets = [f"location ^~ {base}assets/ {{",
              "    # Material's assets have a hash in their names: they never change either.",
              f"    {_IMMUTABLE}",
              "}"]
    head = [f"# The error catalog in a server block: include inside server {{ }}, with root set to",
            f"# the folder that holds {errors}. A form of a code answers 301 to its page; anything",
            f"# else under {errors} that does not exist gets the site's 404 page, with status 404."]
    if layout.name == "site":
        own_scripts = [f"location ~ ^{re.escape(base)}(?:javascripts|stylesheets)/ {{",
                       "    if ($arg_v) {", f"        {_IMMUTABLE}", "    }", "}"]
        lines = head + settings + [f"location {errors} {{"] + _indent(catalog) + ["}"] + assets + own_scripts
    else:
        lines = head + [f"location {errors} {{"] + _indent(settings + catalog + assets) + ["}"]
    return "\n".join(lines) + "\n"


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


def spelled_redirects(catalog: Catalog, layout: Layout) -> list[list[tuple[str, str]]]:
    """(address, page) for hosts that match paths case-sensitively, in tiers: the address-bar
    forms in ADDRESS_BAR_KINDS' order, then the catalog's declared forms, each as written and
    then in lower case, then the SDK constants. Addresses have no trailing slash; the code's
    own page in another case counts."""
    errors = layout.errors_path
    address_bar = ADDRESS_BAR_KINDS + tuple(other.kind for other in catalog.code_format.forms)
    tiers: dict[tuple[bool, int, int], list[tuple[str, str]]] = {}
    for name, forms in pages_and_forms(catalog):
        page = f"{errors}{name}/"
        for form in forms:
            if REDIRECTS_SYNTAX.search(form.text):
                continue
            kind = address_bar.index(form.kind) if form.kind in address_bar else len(address_bar)
            for spelling, text in enumerate(dict.fromkeys((form.text, form.text.lower()))):
                if text != name:
                    key = (min(kind, len(address_bar)), spelling, kind)
                    tiers.setdefault(key, []).append((f"{errors}{text}", page))
    seen: set[str] = set()
    ordered = []
    for key in sorted(tiers):
        tier = []
        for address, page in tiers[key]:  # one rule an address: a host skips the second, or warns
            if address not in seen:
                seen.add(address)
                tier.append((address, page))
        ordered.append(tier)
    return ordered


def cloudflare_redirects(catalog: Catalog, layout: Layout, budget: int = CLOUDFLARE_STATIC_RULES) -> str:
    """Cloudflare Pages' _redirects: each code's page without its slash, then each address
    with and without its slash, all static rules; whole tiers that would pass `budget` (the
    host's limit, less the static rules of a larger site's own) are left to the 404 page."""
    pages = [(f"{layout.errors_path}{name}", f"{layout.errors_path}{name}/") for name, _ in pages_and_forms(catalog)]
    tiers = [pages] + [[(address + suffix, page) for address, page in tier for suffix in ("", "/")]
                       for tier in spelled_redirects(catalog, layout)]
    rules: list[tuple[str, str]] = []
    left = 0
    for tier in tiers:
        if len(rules) + len(tier) > budget:
            left += len(tier)
        else:
            rules += tier
    header = [
        "# The error catalog's redirects for Cloudflare Pages, generated from the catalog.",
        "# Every form of a code as written and in lower case, with and without its slash, to the",
        "# code's page. Other spellings get the site's 404 page, whose script sends them on.",
        f"# {len(rules)} static rules of a budget of {budget}: in a larger site's _redirects, keep them",
        "# above every rule with a placeholder or a splat (*), after which Cloudflare counts each",
        "# rule as dynamic and keeps 100 (README: Publishing).",
    ]
    if left:
        header.append(f"# {left} rules past the budget are left to the 404 page.")
    return "\n".join(header + [f"{address} {page} 301" for address, page in rules]) + "\n"


def netlify_redirects(catalog: Catalog, layout: Layout) -> str:
    """Netlify's _redirects: each address once (Netlify ignores the trailing slash), forced
    so that alias pages which exist as files redirect too, then the 404 page for the rest
    of the catalog's folder. A code's own page gets no rule: with the slash ignored, it
    would redirect to itself."""
    rules = [rule for tier in spelled_redirects(catalog, layout) for rule in tier]
    return "\n".join([
        "# The error catalog's redirects for Netlify, generated from the catalog.",
        "# Every form of a code as written and in lower case to the code's page. Other",
        "# spellings get the site's 404 page, whose script sends them on.",
        *(f"{address} {page} 301!" for address, page in rules),
        f"{layout.errors_path}* {layout.base_path}404.html 404",
    ]) + "\n"
