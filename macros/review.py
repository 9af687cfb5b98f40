"""Review a code page next to its sources: `make review CODE=OJS-3001` (or every code).

The page is the one the catalog's site publishes (`--config-file`, its mkdocs.yml: the
catalog it builds from, its Markdown and its address; `make review CATALOG=DIR` reviews
that folder's), shown as a reader sees it.

Prints the page as a reader sees it, block by block (a paragraph, a list item, a fact),
each sentence on its own line, followed by the text of every section that block cites.
A block that cites nothing inline rests on the page's own list of sources, printed once
after the page. Section texts come from the documents at the commits the catalog pins:
from a local copy of each repository (`--repo spec=PATH`: a clone or a bare git
directory, by the catalog's key for the repository or its name on GitHub) or, without one,
from raw.githubusercontent.com; a repository on another host is read from a local copy only.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import textwrap
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import markdown
from bs4 import BeautifulSoup
from mkdocs.config import load_config
from mkdocs.exceptions import ConfigurationError

from . import render
from .catalog import CatalogError, load_catalog
from .layout import Layout
from .model import Catalog, ErrorCode, Source
from .plugin import CatalogPlugin

ROOT = Path(__file__).resolve().parent.parent
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`\"(])")


@dataclass(frozen=True)
class Block:
    heading: str
    text: str
    cited: tuple[Source, ...]


class SourceTexts:
    """The text of a cited document at its pinned commit, read once: from a local copy of its
    repository, given by the catalog's key for it (or, on GitHub, the repository's name), or
    else from GitHub. A repository elsewhere is read from a local copy only."""

    def __init__(self, catalog: Catalog, local: dict[str, Path]):
        self.catalog, self.local, self.cache = catalog, local, {}

    def document(self, source: Source) -> str | None:
        key = (source.repository, source.commit, source.repository_path)
        if key not in self.cache:
            self.cache[key] = self._read(source)
        return self.cache[key]

    def _folder(self, source: Source) -> Path | None:
        return self.local.get(source.repository) or self.local.get(_github_name(source) or "")

    def _read(self, source: Source) -> str | None:
        folder = self._folder(source)
        if folder is not None:
            shown = subprocess.run(["git", "-C", str(folder), "show", f"{source.commit}:{source.repository_path}"],
                                   capture_output=True, text=True)
            return shown.stdout if shown.returncode == 0 else None
        if _github_name(source) is None:
            return None  # asked of no host but GitHub, whose raw files' address is known
        owner, repository = urlsplit(source.url).path.strip("/").split("/")[:2]
        try:
            with urllib.request.urlopen(f"https://raw.githubusercontent.com/{owner}/{repository}/{source.commit}/"
                                        f"{source.repository_path}", timeout=20) as response:
                return response.read().decode("utf-8")
        except OSError:
            return None

    def section(self, source: Source) -> str:
        if source.commit is None:  # a web page: nothing pins it, so nothing is fetched
            return f"(a web page: read it at {source.url})"
        text = self.document(source)
        if text is None and self._folder(source) is not None:
            return f"(not in the copy of {source.repository} given: it has no {source.commit[:7]}:" \
                   f"{source.repository_path})"
        if text is None and _github_name(source) is None:
            return f"(not read: give --repo {source.repository}=PATH, a copy of the repository; " \
                   f"review fetches from GitHub only. Open {source.url})"
        if text is None:
            return f"(not available: give --repo {source.repository}=PATH, a copy of the repository)"
        if source.heading is None:
            return _lines(text, source.lines)
        return _section(text, source.heading) or f"(no heading {source.heading!r} in the document)"


def _github_name(source: Source) -> str | None:
    """The repository's name where it is on GitHub (ojs-go-sdk), else None."""
    if urlsplit(source.url).netloc != "github.com":
        return None
    return urlsplit(source.url).path.strip("/").split("/")[1]


def _lines(text: str, cited: str | None) -> str:
    """A source file, or the lines the source names ("10-20"), however its host anchors them."""
    lines = text.splitlines()
    if cited is None:
        return f"(the whole file, {len(lines)} lines)"
    first, _, last = cited.partition("-")
    first_line, last_line = int(first), int(last or first)
    return "\n".join(f"{number}: {lines[number - 1]}" for number in range(first_line, min(last_line, len(lines)) + 1))


def _section(text: str, heading: str) -> str | None:
    """The lines from a Markdown heading to the next heading of its level or above, fences aside."""
    lines, start, level, fenced = text.splitlines(), None, 0, False
    for index, line in enumerate(lines):
        if line.startswith("```"):
            fenced = not fenced
        match = None if fenced else re.match(r"(#+)\s+(.*?)\s*$", line)
        if match and start is None and match.group(2) == heading:
            start, level = index, len(match.group(1))
        elif match and start is not None and len(match.group(1)) <= level:
            return "\n".join(lines[start:index]).rstrip()
    return "\n".join(lines[start:]).rstrip() if start is not None else None


@dataclass(frozen=True)
class Site:
    """What review reads of a catalog's site: the catalog file it builds from, its Markdown
    extensions, and the address of its errors folder."""
    catalog_file: Path
    markdown_extensions: list
    mdx_configs: dict
    errors_url: str


def site_of(config_file: Path) -> Site:
    config = load_config(str(config_file))
    plugin = next(p for p in config.plugins.values() if isinstance(p, CatalogPlugin))
    return Site(Path(config.config_file_path).parent / plugin.config.catalog_file, config["markdown_extensions"],
                config["mdx_configs"], Layout.published_at(plugin.config.layout, config.site_url or "").errors_url)


def page_blocks(catalog: Catalog, code: ErrorCode, site: Site) -> list[Block]:
    """The code's page as a reader sees it, in blocks, each with the sources it cites inline."""
    converter = markdown.Markdown(extensions=site.markdown_extensions, extension_configs=site.mdx_configs)
    source_markdown = render.code_page(catalog, code, site.errors_url).split("\n---\n", 1)[1]
    page = BeautifulSoup(converter.convert(source_markdown), "html.parser")
    for permalink in page.select("a.headerlink"):
        permalink.extract()
    by_anchor = {render.source_anchor(s): s for s in catalog.documents.values()}
    by_url = {s.url: s for s in catalog.documents.values()}
    blocks, heading = [], code.code
    for element in page.find_all(["h1", "h2", "p", "li", "dd", "pre"]):
        if element.name in ("h1", "h2"):
            heading = " ".join(element.get_text(" ").split())
            continue
        if element.find(["p", "li"]) or element.find_parent("pre") or element.find_parent("li"):
            continue  # its own paragraphs are blocks
        cited = []
        for link in element.find_all("a", href=True):
            href = link["href"]
            source = by_url.get(href) or by_anchor.get(href.split("#", 1)[1] if "sources.md#" in href else "")
            if source is not None and source not in cited:
                cited.append(source)
        text = element.get_text()
        text = text if element.name == "pre" else " ".join(text.split())
        if element.name == "dd":  # a fact: its term first
            text = f"{' '.join(element.find_previous_sibling('dt').get_text().split())}: {text}"
        if text:
            blocks.append(Block(heading, text, tuple(cited)))
    return blocks


def review(catalog: Catalog, code: ErrorCode, texts: SourceTexts, site: Site) -> str:
    out = [f"# {code.code} {code.name}", ""]
    shown: dict[Source, int] = {}

    def show(source: Source) -> list[str]:
        if source in shown:
            return [f"    [{shown[source]}] {source.label}: printed above"]
        shown[source] = len(shown) + 1
        title = f"    [{shown[source]}] {source.label} {source.heading or ''}".rstrip()
        return [title, textwrap.indent(texts.section(source), "    | ", lambda line: True), ""]

    heading = None
    for block in page_blocks(catalog, code, site):
        if block.heading != heading:
            heading = block.heading
            out += [f"## {heading}", ""]
        out += [f"  - {sentence}" for sentence in _SENTENCE_END.split(block.text)] if "\n" not in block.text \
            else [textwrap.indent(block.text, "    ")]
        out.append(f"    cites: {', '.join(s.label for s in block.cited)}" if block.cited
                   else "    cites nothing inline: rests on the page's sources, below" if code.sources
                   else "    cites nothing: the catalog's own text is its source")
        for source in block.cited:
            out += show(source)
        out.append("")
    if code.sources:
        out += ["## The page's sources", ""]
    for source in code.sources:
        out += show(source)
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("codes", nargs="*", help="codes to review (all when none is given)")
    parser.add_argument("--config-file", type=Path, default=ROOT / "mkdocs.yml",
                        help="the catalog's site (its mkdocs.yml), whose pages are reviewed")
    parser.add_argument("--catalog", type=Path, help="another catalog file than the site's")
    parser.add_argument("--repo", action="append", default=[], metavar="NAME=PATH",
                        help="a local copy of a repository the catalog cites, by its key in the catalog's "
                             "repositories or its name on GitHub")
    arguments = parser.parse_args(argv)
    try:
        site = site_of(arguments.config_file)
    except ConfigurationError as error:
        print(f"{arguments.config_file}: {error}", file=sys.stderr)
        return 2
    catalog_file = arguments.catalog or site.catalog_file
    try:
        catalog = load_catalog(catalog_file)
    except CatalogError as error:
        print(error, file=sys.stderr)
        return 2
    local = {}
    for item in arguments.repo:
        name, _, path = item.partition("=")
        if not path:
            parser.error(f"--repo {item}: write it as NAME=PATH")
        local[name] = Path(path)
    known = {c.code for c in catalog.codes}
    unknown = [c for c in arguments.codes if c not in known]
    if unknown:
        parser.error(f"not in {catalog_file}: {', '.join(unknown)}")
    texts = SourceTexts(catalog, local)
    for code in catalog.codes:
        if not arguments.codes or code.code in arguments.codes:
            sys.stdout.write(review(catalog, code, texts, site))
    return 0


if __name__ == "__main__":
    sys.exit(main())
