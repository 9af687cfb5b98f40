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

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

SITE, PART = "site", "part"
LAYOUTS = (SITE, PART)
ERRORS = "errors/"  # the catalog's folder in the sources, and in the whole-site build
# The pages the catalog generates under errors/ besides its codes' and categories', by name.
CHANGELOG_PAGE, SOURCES_PAGE, WIRE_CODES_PAGE = "changelog", "sources", "wire-codes"
GENERATED_PAGES = (CHANGELOG_PAGE, SOURCES_PAGE, WIRE_CODES_PAGE)
# A hand-written page the generated pages link to when the catalog has one: each code beside
# its canonical (wire) code.
MAPPING_PAGE = "canonical-codes"
WHOLE_SITE_ONLY = {"index.html", "robots.txt"}  # the home page, and the host's robots.txt

# Where the catalog's pages are in the sources (docs/): the build puts them where the layout says.
ERRORS_DIR = ERRORS.rstrip("/")
OVERVIEW_SRC = f"{ERRORS_DIR}/index.md"
MAPPING_SRC = f"{ERRORS_DIR}/{MAPPING_PAGE}.md"
CHANGELOG_SRC = f"{ERRORS_DIR}/{CHANGELOG_PAGE}.md"
SOURCES_SRC = f"{ERRORS_DIR}/{SOURCES_PAGE}.md"
WIRE_CODES_SRC = f"{ERRORS_DIR}/{WIRE_CODES_PAGE}.md"


def code_src(code: str) -> str:
    return f"{ERRORS_DIR}/{code}.md"


def category_src(slug: str) -> str:
    return f"{ERRORS_DIR}/{slug}.md"


@dataclass(frozen=True)
class Layout:
    name: str
    site_url: str  # the address the build is published at: its root

    @classmethod
    def published_at(cls, name: str, site_url: str) -> Layout:
        """The layout `name` for a site whose mkdocs.yml gives `site_url` (default_site_url)."""
        return cls(name, default_site_url(name, site_url))

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


class SiteUrlError(ValueError):
    """An address the site cannot be published at, with what is wrong and where it was set."""


# What a published address may hold. Anything else is refused rather than escaped: the
# address reaches HTML, an inline script, nginx's and the hosts' rule files, the feed and the
# sitemap, and an address that needs escaping in any of them leads nowhere anyway.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(rf"{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]+\]")
_AUTHORITY = re.compile(rf"(?:{_HOST.pattern})(?::(?P<port>[0-9]{{1,5}}))?")
_SEGMENT = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*")


def check_site_url(url: object, origin: str) -> str:
    """The address to publish at, with its trailing slash; SiteUrlError names `origin` (the
    setting it came from) and what is wrong: http or https, a host (and port), no user, query
    or fragment, and a path of plain segments (letters, digits, `-`, `_`, `.`, `~`)."""
    def refuse(problem: str) -> SiteUrlError:
        return SiteUrlError(f"{origin}: {url!r} {problem}")

    if not isinstance(url, str) or not url:
        raise refuse("is empty: give the address the site is published at, such as https://errors.example.com/")
    if not url.isascii() or not url.isprintable() or any(ch.isspace() for ch in url):
        raise refuse("holds white space, a control character or a character outside ASCII")
    if "\\" in url or "%" in url:
        raise refuse("holds a backslash or a percent-encoding: write the path as plain segments")
    try:
        parts = urlsplit(url)
    except ValueError as error:
        raise refuse(f"is not an address ({error})") from None
    if parts.scheme not in ("http", "https"):
        raise refuse("is not an http or https address")
    if "?" in url or "#" in url:
        raise refuse("has a query or a fragment: an address to publish at has neither")
    if "@" in parts.netloc:
        raise refuse("names a user (user@host): it would be published in every file")
    authority = _AUTHORITY.fullmatch(parts.netloc)
    if authority is None:
        raise refuse("has no host, or a host that is not a name or an IP address, or a port that is not a number")
    if authority["port"] is not None and not 0 < int(authority["port"]) < 65536:
        raise refuse(f"has the port {authority['port']}")
    path = parts.path or "/"
    if not path.startswith("/"):
        raise refuse("has a path that does not start with /")
    if "//" in path:
        raise refuse("has an empty path segment (//)")
    inner = path[1:].removesuffix("/")
    segments = inner.split("/") if inner else []
    for segment in segments:
        if segment in ("", ".", "..") or not _SEGMENT.fullmatch(segment):
            raise refuse(f"has the path segment {segment!r}: a path is plain segments, none empty, . or ..")
    return f"{parts.scheme}://{parts.netloc}/" + "".join(f"{segment}/" for segment in segments)
