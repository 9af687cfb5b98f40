"""Shared fixtures: the catalog as the data file says it, and the site built once per session."""

from __future__ import annotations

import copy
import functools
from collections import deque
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from bench.server import serve

ROOT = Path(__file__).resolve().parent.parent
CATALOG_FILE = ROOT / "data" / "catalog.yaml"
SITE_URL = "https://openjobspec.org/"
# What of the OJS catalog must not reach another catalog's pages: its codes and ranges, its
# SDK constants, its headers and its name.
OJS_WORDS = r"OJS[-_ ]\w*|x-ojs-[\w-]*|Open Job Spec|openjobspec|application/openjobspec\+json"


def read_catalog(path: Path = CATALOG_FILE) -> dict:
    """The raw data file, read without the site's own loader so the tests stay independent."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def raw_codes(raw: dict) -> list[dict]:
    return sorted(({**code, "category": category} for category in raw["categories"]
                   for code in category["codes"]), key=lambda c: c["code"])


CATALOG = read_catalog()
CODES = raw_codes(CATALOG)
CANONICAL_CODES = [c for c in CODES if c.get("canonical_code")]


def without_codes(raw: dict, gone) -> None:
    """Take codes out of a raw catalog, and out of everything that names them, as a catalog
    without them would be: related codes, the example code, what a wire code or an
    implementation's text stands for (a text that stood for nothing else goes too)."""
    def keep(codes: list) -> list:
        return [c for c in codes if not gone(c)]

    for category in raw["categories"]:
        category["codes"] = [c for c in category["codes"] if not gone(c["code"])]
        for code in category["codes"]:
            code["related"] = keep(code.get("related", []))
    example = raw["catalog"].get("example_code")
    if example is not None and gone(example):
        del raw["catalog"]["example_code"]
    for wire in raw.get("wire_codes", []):
        wire["means"] = keep(wire["means"])
    implementations = raw.get("implementations")
    if implementations:
        backends = implementations["backends"]
        for message in backends["messages"]:
            message["means"] = keep(message["means"])
            for values in message.get("narrowed_by", {}).values():
                for value in list(values):
                    values[value] = keep(values[value])
                    if not values[value]:
                        del values[value]
        backends["messages"] = [m for m in backends["messages"] if m["means"]]
        for sdk in implementations["sdks"]:
            for kind in ("client", "worker"):
                for entry in sdk[kind]:
                    entry["means"] = keep(entry["means"])
                sdk[kind] = [e for e in sdk[kind] if e["means"]]


def code_id(code: dict) -> str:
    return code["code"]


def snake(name: str) -> str:
    """SCREAMING_SNAKE of a Name, as the SDKs write it: an underscore before every capital but the first."""
    return "".join(("_" + ch if ch.isupper() and i else ch) for i, ch in enumerate(name)).upper()


SDKS = CATALOG.get("implementations", {}).get("sdks", [])


def sdk_constants(entry: dict) -> dict[str, str]:
    """Each SDK's names for a code, from the data file's templates: {label: [constant, …]}."""
    values = {"{Name}": entry["name"], "{NAME}": snake(entry["name"]), "{number}": entry["code"][4:]}

    def filled(template: str) -> str:
        for placeholder, value in values.items():
            template = template.replace(placeholder, value)
        return template
    return {sdk["label"]: [filled(t) for t in sdk["constants"]] for sdk in SDKS}


def reader_forms(entry: dict) -> dict[str, str]:
    """Every form a reader may hold of a code, with what it is, from the data file: the code,
    its number and name, each SDK's constants, the canonical code and the declared forms (the
    gRPC reason)."""
    name, number = entry["name"], entry["code"][4:]
    forms = {entry["code"]: "code", entry["code"].lower(): "code in lower case", number: "number",
             name: "name", name.lower(): "name in lower case"}
    for label, constants in sdk_constants(entry).items():
        forms.update({constant: f"{label} constant" for constant in constants})
    if entry.get("canonical_code"):
        canonical = entry["canonical_code"]
        forms.update({canonical: "canonical code", canonical.lower(): "canonical code in lower case"})
    # The other forms the data file declares (code_format.forms), where the code has their values.
    values = {"{code}": entry["code"], "{number}": number, "{name}": name, "{canonical_code}": entry.get("canonical_code")}
    for declared in CATALOG["code_format"].get("forms", []):
        needed = [placeholder for placeholder in values if placeholder in declared["form"]]
        if all(values[placeholder] for placeholder in needed):
            form = declared["form"]
            for placeholder in needed:
                form = form.replace(placeholder, values[placeholder])
            forms[form] = declared["kind"]
    return forms


def pasted_forms(entry: dict) -> dict[str, str]:
    """What a reader pastes: an SDK log line, the same with a level and a time in front (the
    catalog specification's logging example), a wire log line, a wire error body."""
    message = entry["example"]["message"] if entry.get("example") else entry["description"]
    forms = {f"[{entry['code']}] {entry['name']}: {message}": "SDK log line",
             f"2026-02-12T10:31:05Z ERROR [{entry['code']}] {entry['name']}: {message}": "log line with level and time"}
    if entry.get("canonical_code"):
        forms[f"{entry['canonical_code']}: {message}"] = "wire log line"
        forms[json.dumps({"code": entry["canonical_code"], "message": message})] = "wire error body"
    return forms


def fold_form(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum() and ch.isascii())


def wire_codes() -> dict[str, list[str]]:
    """Each wire code other documents use (variants), and the codes it names: a code whose
    canonical code it is first, then those whose variants name it, in code order."""
    names: dict[str, list[str]] = {}
    for entry in CODES:
        for variant in entry.get("variants", []):
            if variant.get("code"):
                names.setdefault(variant["code"], [])
    for wire in names:
        owners = [e["code"] for e in CODES if e.get("canonical_code") and fold_form(e["canonical_code"]) == fold_form(wire)]
        sharing = [e["code"] for e in CODES if any(fold_form(v.get("code") or "") == fold_form(wire)
                                                     for v in e.get("variants", []))]
        names[wire] = owners + [c for c in sharing if c not in owners]
    return names


def surfaces(entry: dict) -> str:
    """Where a reader meets the code, as the data file says: client, history, workflow or http."""
    if entry.get("surfaces"):
        return entry["surfaces"]
    if entry.get("canonical_absent") == "client-side":
        return "client"
    return "history" if entry["http_status"] is None else "http"


# What a build reads from the environment through the catalogs' mkdocs.yml: the engine's
# names, and the OJS catalog's older ones, which it still reads after them. A test sets the
# ones it means and clears the rest, so that the shell it runs in changes nothing.
BUILD_VARIABLES = ("CATALOG_FILE", "CATALOG_SITE_URL", "CATALOG_LAYOUT",
                   "OJS_CATALOG_FILE", "OJS_SITE_URL", "OJS_LAYOUT")


def build_environment(**variables: str) -> dict[str, str]:
    """This process's environment without BUILD_VARIABLES, with `variables` set."""
    env = {key: value for key, value in os.environ.items() if key not in BUILD_VARIABLES}
    return {**env, "NO_MKDOCS_2_WARNING": "1", **variables}


def write_site_config(folder: Path, catalog_file: Path, site_url: str, plugins: str = "") -> Path:
    """A catalog's mkdocs.yml in `folder` (with an empty docs/), as README says to start one,
    for `catalog_file` at `site_url`; `plugins`: more of its plugins' settings, in YAML."""
    (folder / "docs").mkdir(exist_ok=True)
    config = folder / "mkdocs.yml"
    config.write_text(f"""INHERIT: {ROOT / "macros" / "mkdocs-engine.yml"}
site_name: Elsewhere
site_url: {site_url}
theme:
  custom_dir: {ROOT / "overrides"}
plugins:
  error-catalog:
    catalog_file: {catalog_file}
{plugins}""", encoding="utf-8")
    return config


def build_site(site_dir: Path, catalog_file: Path | None = None, site_url: str | None = None,
               layout: str = "site", config: Path = ROOT / "mkdocs.yml") -> subprocess.CompletedProcess:
    """A strict build (of the OJS catalog's mkdocs.yml unless another `config` is given). The
    tests read the whole-site layout unless they ask for the part."""
    env = build_environment(CATALOG_LAYOUT=layout)
    if catalog_file is not None:
        env["CATALOG_FILE"] = str(catalog_file)
    if site_url is not None:
        env["CATALOG_SITE_URL"] = site_url
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config), "--site-dir", str(site_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )


@dataclass(frozen=True)
class BuiltSite:
    root: Path

    def file_for(self, url: str) -> Path | None:
        """The file a static server returns for a site-relative URL path, or None."""
        path = unquote(urlsplit(url).path).lstrip("/")
        candidate = self.root / path
        if path == "" or path.endswith("/") or candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def link_target(self, from_url: str, href: str) -> Path | None:
        """The file a relative link on the page at from_url leads to."""
        return self.file_for(urljoin("/" + from_url, href))

    @functools.lru_cache(maxsize=None)
    def soup(self, url: str) -> BeautifulSoup:
        file = self.file_for(url)
        assert file is not None, f"no file in the built site for {url!r}"
        return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def url_of(self, file: Path) -> str:
        relative = file.relative_to(self.root).as_posix()
        return relative.removesuffix("index.html")

    def redirect_target(self, url: str) -> str | None:
        """Where a redirect page sends the reader (site-relative), or None for a real page."""
        refresh = self.soup(url).find("meta", attrs={"http-equiv": "refresh"})
        if refresh is None:
            return None
        target = refresh["content"].split("url=", 1)[1]
        return urljoin("/" + url, target).lstrip("/")


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> BuiltSite:
    site_dir = tmp_path_factory.mktemp("site")
    result = build_site(site_dir)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return BuiltSite(site_dir)


# Every catalog in the repository: its mkdocs.yml and its data file. Tests that hold for any
# catalog take the fixture `catalog_site`, which builds each once.
CATALOGS = {
    "ojs": (ROOT / "mkdocs.yml", CATALOG_FILE, SITE_URL),
    "jobs-service": (ROOT / "examples" / "jobs-service" / "mkdocs.yml",
                     ROOT / "examples" / "jobs-service" / "catalog.yaml", "https://jobs.example.com/"),
}


@dataclass(frozen=True)
class CatalogSite:
    name: str
    raw: dict  # its data file, read without the site's loader
    site: BuiltSite  # built in the whole-site layout
    site_url: str

    @property
    def codes(self) -> list[dict]:
        return raw_codes(self.raw)

    @property
    def codes_in_file_order(self) -> list[dict]:
        """In page order: by category (by digit where categories have one), then as written."""
        categories = sorted(self.raw["categories"], key=lambda c: c.get("digit", 0))
        return [{**code, "category": category} for category in categories for code in category["codes"]]

    @property
    def foreign_code(self) -> str:
        """A code of another catalog, which this one's shape must refuse."""
        return next(raw_codes(read_catalog(other[1]))[0]["code"] for name, other in CATALOGS.items()
                    if name != self.name)

    def error_body(self, entry: dict) -> dict:
        """The error as its service sends it: the catalog's envelope filled in, or the flat
        {code, message} body of ojs-errors §3."""
        values = {"{code}": entry.get("canonical_code") or entry["code"], "{name}": entry["name"],
                  "{http_status}": entry["http_status"], "{message}": entry["description"]}

        def filled(value):
            if isinstance(value, dict):
                return {key: filled(item) for key, item in value.items()}
            return values.get(value, value) if isinstance(value, str) else value
        envelope = self.raw.get("envelope")
        return filled(envelope["body"]) if envelope else filled({"code": "{code}", "message": "{message}"})


@pytest.fixture(scope="session", params=sorted(CATALOGS))
def catalog_site(request, tmp_path_factory) -> CatalogSite:
    config, catalog_file, site_url = CATALOGS[request.param]
    if request.param == "ojs":
        return CatalogSite("ojs", CATALOG, request.getfixturevalue("site"), site_url)
    site_dir = tmp_path_factory.mktemp(request.param) / "site"
    result = build_site(site_dir, site_url=site_url, config=config)
    assert result.returncode == 0, f"mkdocs build --strict of {config} failed:\n{result.stdout}\n{result.stderr}"
    return CatalogSite(request.param, read_catalog(catalog_file), BuiltSite(site_dir), site_url)


# The worst catalog text found: extension syntax after inline code and at a paragraph's end,
# block syntax, a script URL, HTML, a template expression, inline code holding <&|".
HOSTILE = ('use `x`{: tabindex=0 onfocus=alert(1) } and `<&|"` <script>alert(2)</script> '
           '"><img src=x onerror=alert(3)> [click](javascript:alert(4)) {{ 7*7 }} {: onclick=alert(5) }')
HOSTILE_BLOCKS = '\n# heading\n!!! danger "x"\n    alert(6)\n---\n=== "Tab"\n' + HOSTILE
HOSTILE_CODE = "OJS-3001"


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> BuiltSite:
    """The site built from a catalog whose texts are hostile: one code, its category, and the
    meaning of "no", which every non-retryable code's page shows."""
    from bench.synthetic import write_catalog
    scratch = tmp_path_factory.mktemp("hostile")
    raw = read_catalog()
    entry = next(c for cat in raw["categories"] for c in cat["codes"] if c["code"] == HOSTILE_CODE)
    entry["description"] = HOSTILE
    entry["resolution"] = HOSTILE_BLOCKS
    entry["example"]["message"] = HOSTILE
    entry["variants"][0]["note"] = HOSTILE
    category = next(c for c in raw["categories"] if any(x is entry for x in c["codes"]))
    category["introduction"] = HOSTILE_BLOCKS
    raw["retryability"]["no"]["meaning"] = HOSTILE
    result = build_site(scratch / "site", write_catalog(raw, scratch / "catalog.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(scratch / "site")


@dataclass(frozen=True)
class HostileSite:
    site: BuiltSite
    pages_showing_it: int  # at least: the pages that show the hostile text
    paths: tuple[str, ...]  # pages that show it, for the browser


@pytest.fixture(scope="session", params=sorted(CATALOGS))
def hostile_catalog_site(request, tmp_path_factory) -> HostileSite:
    """Each catalog built with hostile text. The OJS catalog's is `hostile_site` (shown on
    10 pages or more: its code, its category and every non-retryable code); the Jobs
    Service's has it in its description, the example code's texts and the envelope's note,
    shown on the code's page, its category's page and the overview."""
    if request.param == "ojs":
        return HostileSite(request.getfixturevalue("hostile_site"), 10,
                           (f"/errors/{HOSTILE_CODE}/", "/errors/job-lifecycle/", "/errors/OJS-1000/"))
    from bench.synthetic import write_catalog
    config, catalog_file, site_url = CATALOGS[request.param]
    scratch = tmp_path_factory.mktemp(f"hostile-{request.param}")
    raw = read_catalog(catalog_file)
    raw["catalog"]["description"] = HOSTILE
    entry = next(c for cat in raw["categories"] for c in cat["codes"] if c["code"] == raw["catalog"]["example_code"])
    entry["description"], entry["resolution"] = HOSTILE, HOSTILE_BLOCKS
    raw["envelope"]["about"] = HOSTILE
    raw["envelope"]["body"]["error"]["note"] = HOSTILE
    result = build_site(scratch / "site", write_catalog(raw, scratch / "catalog.yaml"), site_url=site_url,
                        config=config)
    assert result.returncode == 0, result.stdout + result.stderr
    category = next(cat["slug"] for cat in raw["categories"] if entry in cat["codes"])
    return HostileSite(BuiltSite(scratch / "site"), 3, ("/errors/", f"/errors/{entry['code']}/", f"/errors/{category}/"))


PREVIEW_URL = "https://preview.example/ojs/"
PART_URL = "https://openjobspec.org/errors/"


@pytest.fixture(scope="session")
def part_site(tmp_path_factory) -> BuiltSite:
    """The site built as the errors/ part of openjobspec.org (CATALOG_LAYOUT=part, the default, at its default address)."""
    site_dir = tmp_path_factory.mktemp("part") / "site"
    result = build_site(site_dir, layout="part")
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(site_dir)


@pytest.fixture(scope="session")
def preview_site(tmp_path_factory) -> Path:
    """The site built for another address, as a preview or a fork under a sub-path is."""
    site_dir = tmp_path_factory.mktemp("preview") / "site"
    result = build_site(site_dir, site_url=PREVIEW_URL)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir


def crawl(site: BuiltSite, site_url: str) -> tuple[list[str], set[str], set[str]]:
    """Follow every internal link and #anchor from the build's root page.

    Returns the links that land nowhere, the pages no link reaches (aliases and the 404
    page aside), and the pages reached."""
    def internal(url: str) -> str | None:
        if url.startswith(site_url):
            return url[len(site_url):]
        return None if urlsplit(url).scheme or url.startswith("//") else url

    reached, queue, broken = {""}, deque([""]), []
    while queue:
        url = queue.popleft()
        page = site.soup(url)
        for element in page.select("a[href], link[href]"):
            href = element["href"]
            if element.name == "a" and href.startswith("#") and href != "#":
                target_url, fragment = url, href[1:]
            else:
                absolute = internal(urljoin(site_url + url, href))
                if absolute is None:
                    continue
                target_url, _, fragment = absolute.partition("#")
            target = site.file_for(target_url)
            if target is None:
                broken.append(f"{url or '/'}: {href} (no such file)")
                continue
            if target.suffix != ".html":
                continue
            target_url = site.url_of(target)
            if fragment and site.soup(target_url).find(id=unquote(fragment)) is None:
                broken.append(f"{url or '/'}: {href} (no #{fragment})")
            if target_url not in reached:
                reached.add(target_url)
                queue.append(target_url)
    pages = {site.url_of(f) for f in site.html_files()}
    redirects = {u for u in pages if site.redirect_target(u) is not None}
    return broken, pages - reached - redirects - {"404.html"}, reached


def text_of(element) -> str:
    """Visible text with whitespace folded and heading permalinks dropped."""
    element = copy.copy(element)  # the soups are shared: never change them
    for link in element.select("a.headerlink"):
        link.extract()
    return " ".join(element.get_text().split())


@pytest.fixture(scope="session")
def static_server(site) -> Iterator[str]:
    with serve(site.root) as base_url:
        yield base_url
