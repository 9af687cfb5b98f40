"""Where the site's pages and files go, defined once.

Two ways to publish one site:
- "site": the whole site at the root of its host (the home page, then errors/ for the
  catalog, the theme's assets, the search index, the 404 page, sitemap and robots.txt);
- "part": the /errors/ part of a larger site, such as openjobspec.org beside its other
  pages: every file the build writes belongs under the errors folder, which is the
  build's root; there is no home page and no robots.txt (the host's own are used).
The catalog's pages keep their addresses either way: /errors/OJS-3001/.
Sources stay where they are (docs/errors/...); only where the build writes them changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

SITE, PART = "site", "part"
LAYOUTS = (SITE, PART)
ERRORS = "errors/"  # the catalog's folder in the sources, and in the whole-site build
WHOLE_SITE_ONLY = {"index.html", "robots.txt"}  # the home page, and the host's robots.txt


@dataclass(frozen=True)
class Layout:
    name: str
    site_url: str  # the address the build is published at: its root

    @property
    def root(self) -> str:
        return self.site_url.rstrip("/") + "/"

    @property
    def errors_dir(self) -> str:
        """Where the catalog's folder is in the build: "errors/", or the build's root ("")."""
        return ERRORS if self.name == SITE else ""

    @property
    def errors_url(self) -> str:
        """The public address of the catalog's folder: https://openjobspec.org/errors/."""
        return self.root + self.errors_dir

    @property
    def base_path(self) -> str:
        """The path the build is served under: "/", or "/errors/" for the part layout."""
        return urlsplit(self.root).path or "/"

    @property
    def errors_path(self) -> str:
        return urlsplit(self.errors_url).path

    def dest(self, dest_uri: str) -> str | None:
        """Where a file of the whole-site build goes in this layout (None: not written)."""
        if self.name == SITE:
            return dest_uri
        if dest_uri.startswith(ERRORS):
            return dest_uri[len(ERRORS):]
        return None if dest_uri in WHOLE_SITE_ONLY else dest_uri


def default_site_url(name: str, site_url: str) -> str:
    """The part layout is published at the catalog's folder: at the root of a host, that is
    its errors/ folder (openjobspec.org/errors/)."""
    if name == PART and (urlsplit(site_url).path or "/") == "/":
        return site_url.rstrip("/") + "/" + ERRORS
    return site_url
