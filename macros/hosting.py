"""Redirect rules for hosts that allow them, generated from the catalog's forms.

On such a host every form of a code (macros/forms.py) answers with a single 301 to the
code's page, instead of an alias page with a meta refresh or the 404 page's script.
A form several errors share (a wire code such as invalid_request) gets no rule: the 404
page lists its codes. nginx matches map strings ignoring case, so no rule may be the
code's own page under another case: that would redirect the page to itself.
"""

from __future__ import annotations

import re

from .forms import fold, forms, lookup
from .layout import Layout
from .model import Catalog

SUFFIXES = ("", "/", "/index.html")


def redirects(catalog: Catalog, layout: Layout) -> dict[str, str]:
    """Every address a reader may type for a code, and the page it goes to."""
    errors = layout.errors_path
    known = lookup(catalog)  # the search box's and the 404 page's table: one rule for all three
    table: dict[str, str] = {}
    for position, code in enumerate(catalog.codes):
        page = f"{errors}{code.code}/"
        own = {page.casefold(), f"{page}index.html".casefold()}
        texts = {f.text for f in forms(code) if _goes_to(known, f.text) == position}
        for text in sorted(texts):
            for suffix in SUFFIXES:
                address = f"{errors}{text}{suffix}"
                if address.casefold() not in own:
                    table.setdefault(address.casefold(), page)
    return table


def _goes_to(known: dict, text: str) -> int | None:
    """The code an address with this form goes to: its first code, unless it is a wire code
    several errors share (then the 404 page lists them)."""
    key = fold(text)
    codes = known["forms"][key]
    return None if key in known["wire_only"] and len(codes) > 1 else codes[0]


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
    # The code itself in another case, with its slash: a string would also match the page
    # itself, so a case-sensitive expression leaves the page out and matches the rest.
    for code in catalog.codes:
        page = f"{layout.errors_path}{code.code}/"
        escaped = re.escape(layout.errors_path)
        lines.append(f'    "~^{escaped}(?!{re.escape(code.code)}/)(?i:{re.escape(code.code)})/(?:index\\.html)?$" "{page}";')
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
