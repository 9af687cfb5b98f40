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

from .forms import pages_and_forms
from .layout import Layout
from .model import Catalog

SUFFIXES = ("", "/", "/index.html")

# The forms a reader types into an address bar come first: where a host limits the number
# of rules, SDK constants are left to the 404 page before these are.
ADDRESS_BAR_KINDS = ("code", "canonical code", "wire code", "number", "name", "gRPC reason")
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


def nginx_map(catalog: Catalog, layout: Layout) -> str:
    lines = [
        "# The OJS error catalog's redirects, generated from the catalog: include at the http level.",
        "# Every form of a code a reader may type, in any case, to the code's page.",
        "map_hash_max_size 16384;",
        "map_hash_bucket_size 256;",
        "map $uri $ojs_errors_redirect {",
        '    default "";',
    ]
    lines += [f'    "{address}" "{page}";' for address, page in sorted(redirects(catalog, layout).items())]
    # The page itself in another case, with its slash: a string would also match the page
    # itself, so a case-sensitive expression leaves the page out and matches the rest.
    for name, _ in pages_and_forms(catalog):
        page = f"{layout.errors_path}{name}/"
        escaped = re.escape(layout.errors_path)
        lines.append(f'    "~^{escaped}(?!{re.escape(name)}/)(?i:{re.escape(name)})/(?:index\\.html)?$" "{page}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def nginx_server(layout: Layout) -> str:
    base, errors = layout.base_path, layout.errors_path
    return f"""# The OJS error catalog in a server block: include inside server {{ }}, with root set to the
# built site. A form of a code answers 301 to its page; what exists is served; anything else
# under {errors} gets the site's 404 page, which lists the codes of a shared wire code.
error_page 404 {base}404.html;

# The build writes a compressed copy (.gz) of every text file: serve it where it is asked for.
gzip_static on;
gzip_vary on;

location {errors} {{
    if ($ojs_errors_redirect) {{
        return 301 $ojs_errors_redirect;
    }}
    # The lookup file is asked for with a hash of its content (?v=): it never changes.
    if ($arg_v) {{
        add_header Cache-Control "public, max-age=31536000, immutable";
    }}
    try_files $uri $uri/index.html =404;
}}

# Material's assets have a hash in their names, the site's own scripts and stylesheets one
# in their address (?v=): neither ever changes, so browsers may keep them for a year.
location ^~ {base}assets/ {{
    add_header Cache-Control "public, max-age=31536000, immutable";
}}
location ~ ^{re.escape(base)}(?:javascripts|stylesheets)/ {{
    if ($arg_v) {{
        add_header Cache-Control "public, max-age=31536000, immutable";
    }}
}}
"""


def spelled_redirects(catalog: Catalog, layout: Layout) -> list[list[tuple[str, str]]]:
    """(address, page) for hosts that match paths case-sensitively, in tiers: the address-bar
    forms in ADDRESS_BAR_KINDS' order, each as written and then in lower case, then the SDK
    constants. Addresses have no trailing slash; the code's own page in another case counts."""
    errors = layout.errors_path
    tiers: dict[tuple[bool, int, int], list[tuple[str, str]]] = {}
    for name, forms in pages_and_forms(catalog):
        page = f"{errors}{name}/"
        for form in forms:
            if REDIRECTS_SYNTAX.search(form.text):
                continue
            kind = ADDRESS_BAR_KINDS.index(form.kind) if form.kind in ADDRESS_BAR_KINDS else len(ADDRESS_BAR_KINDS)
            for spelling, text in enumerate(dict.fromkeys((form.text, form.text.lower()))):
                if text != name:
                    key = (min(kind, len(ADDRESS_BAR_KINDS)), spelling, kind)
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


def cloudflare_redirects(catalog: Catalog, layout: Layout) -> str:
    """Cloudflare Pages' _redirects: each address with and without its slash, and each
    code's page without its slash; whole tiers that would pass the host's limit are left
    to the 404 page."""
    rules = [(f"{layout.errors_path}{name}", f"{layout.errors_path}{name}/") for name, _ in pages_and_forms(catalog)]
    left = 0
    for tier in spelled_redirects(catalog, layout):
        lines = [(address + suffix, page) for address, page in tier for suffix in ("", "/")]
        if len(rules) + len(lines) > CLOUDFLARE_STATIC_RULES:
            left += len(lines)
        else:
            rules += lines
    header = [
        "# The OJS error catalog's redirects for Cloudflare Pages, generated from the catalog.",
        "# Every form of a code as written and in lower case, with and without its slash, to the",
        "# code's page. Other spellings get the site's 404 page, whose script sends them on.",
    ]
    if left:
        header.append(f"# {left} rules past Cloudflare's limit of {CLOUDFLARE_STATIC_RULES} are left to the 404 page.")
    return "\n".join(header + [f"{address} {page} 301" for address, page in rules]) + "\n"


def netlify_redirects(catalog: Catalog, layout: Layout) -> str:
    """Netlify's _redirects: each address once (Netlify ignores the trailing slash), forced
    so that alias pages which exist as files redirect too, then the 404 page for the rest
    of the catalog's folder. A code's own page gets no rule: with the slash ignored, it
    would redirect to itself."""
    rules = [rule for tier in spelled_redirects(catalog, layout) for rule in tier]
    return "\n".join([
        "# The OJS error catalog's redirects for Netlify, generated from the catalog.",
        "# Every form of a code as written and in lower case to the code's page. Other",
        "# spellings get the site's 404 page, whose script sends them on.",
        *(f"{address} {page} 301!" for address, page in rules),
        f"{layout.errors_path}* {layout.base_path}404.html 404",
    ]) + "\n"
