"""The built site on the local servers of Cloudflare Pages and Netlify, with the generated
_redirects file, deployed as README's Publishing section says.

Both hosts match paths case-sensitively: every form of every code as written and in lower
case answers one 301 to the code's page (without or with its slash); any other spelling,
a form holding a character _redirects reserves (`ojs::error_codes::…`), a wire code several
errors share and an unknown path get the site's 404 page with status 404, whose script
(tested in test_browser.py) sends a form on. The servers come from package.json
(`wrangler pages dev`, `netlify dev`); without them these tests skip, except in CI.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.server import cloudflare_pages, host_tool, netlify
from conftest import CANONICAL_CODES, CATALOG, CODES, code_id, fold_form, reader_forms, wire_codes
from test_nginx import get

IN_CI = os.environ.get("CI", "").lower() == "true"
HOSTS = {"cloudflare": ("wrangler", cloudflare_pages), "netlify": ("netlify", netlify)}
# How each host's local server reports a rule it could not use.
COMPLAINTS = {"cloudflare": "invalid redirect rule", "netlify": "Redirects syntax errors"}
# Characters a _redirects path reserves (":" starts a placeholder): no rule can name them.
RESERVED = (":", "*")


@dataclass
class Host:
    name: str
    port: int
    log: Path


def deploy(build: Path, host: str, root: Path, errors_folder: bool = False) -> Path:
    """The build as README says to deploy it: at the root (or in the errors/ folder of a
    larger site), with the host's _redirects at the root; for Netlify, netlify/_redirects."""
    target = root / "errors" if errors_folder else root
    shutil.copytree(build, target)
    rules = build / ("netlify/_redirects" if host == "netlify" else "_redirects")
    shutil.copyfile(rules, root / "_redirects")
    return root


@pytest.fixture(scope="module", params=sorted(HOSTS))
def host(request, site, tmp_path_factory):
    tool, serve = HOSTS[request.param]
    if host_tool(tool) is None:
        reason = f"no {tool} in node_modules: run `make test` (npm ci) first"
        if IN_CI:
            pytest.fail(f"{reason} (CI=true: the host tests must run)")
        pytest.skip(reason)
    scratch = tmp_path_factory.mktemp(request.param)
    root = deploy(site.root, request.param, scratch / "root")
    (scratch / "server").mkdir()
    with serve(root, scratch / "server") as (port, log):
        yield Host(request.param, port, log)


def is_404_page(status: int, location: str | None, body: bytes) -> bool:
    return (status, location) == (404, None) and b"Page not found" in body and b"code-finder.js" in body


def spellings(entry: dict) -> set[str]:
    return {spelling for form in reader_forms(entry) for spelling in (form, form.lower())}


@pytest.mark.parametrize("entry", CODES, ids=code_id)
def test_every_form_as_written_and_in_lower_case_answers_one_301(host, entry):
    page = f"/errors/{entry['code']}/"
    wrong = {}
    for form in sorted(spellings(entry)):
        for path in (f"/errors/{form}", f"/errors/{form}/"):
            if path == page:
                continue
            answer = get(host.port, path)
            if path == page.rstrip("/") and host.name == "netlify":
                # Netlify's own business: production adds the slash, its local server serves the page.
                ok = answer[:2] in ((301, page), (200, None))
            elif any(ch in form for ch in RESERVED):
                ok = is_404_page(*answer)
            else:
                ok = answer[:2] == (301, page)
            if not ok:
                wrong[path] = answer[:2]
    assert wrong == {}
    status, location, body = get(host.port, page)
    assert (status, location) == (200, None) and f"{entry['code']} {entry['name']}".encode() in body


@pytest.mark.parametrize("entry", CANONICAL_CODES, ids=code_id)
def test_a_canonical_alias_redirects_although_its_page_exists(host, entry):
    for path in (f"/errors/{entry['canonical_code']}", f"/errors/{entry['canonical_code']}/"):
        assert get(host.port, path)[:2] == (301, f"/errors/{entry['code']}/"), path


@pytest.mark.parametrize("entry", CODES[::9], ids=code_id)
def test_another_mix_of_cases_gets_the_404_page_which_sends_it_on(host, entry):
    mixed = entry["code"][:1] + entry["code"][1:].lower()  # Ojs-3001
    assert is_404_page(*get(host.port, f"/errors/{mixed}"))


WIRE_PAGES = {fold_form(w["code"]): w for w in CATALOG.get("wire_codes", [])}


@pytest.mark.parametrize("wire, codes", sorted(wire_codes().items()))
def test_a_wire_code_goes_to_its_page_or_to_its_one_code(host, wire, codes):
    page = WIRE_PAGES.get(fold_form(wire))
    answer = get(host.port, f"/errors/{wire}")
    if page is not None:  # a page of its own: errors/conflict/
        target = f"/errors/{page.get('page', page['code'])}/"
        # Netlify's own business, as for a code's page: its local server serves the page.
        assert answer[:2] in ((301, target), (200, None)) if host.name == "netlify" else answer[:2] == (301, target)
    else:  # a form of the one code it stands for first
        assert answer[:2] == (301, f"/errors/{codes[0]}/")


@pytest.mark.parametrize("path", ["/errors/OJS-3999", "/errors/no-such-thing/", "/errors/OJS-3001/stray",
                                  "/errors/ojs-3001x"])
def test_an_unknown_path_gets_the_sites_404_page_with_status_404(host, path):
    assert is_404_page(*get(host.port, path))


@pytest.mark.parametrize("path", ["/", "/errors/", "/errors/changelog/", "/errors/client/", "/errors/catalog.json",
                                  "/errors/codes.json"])
def test_pages_and_files_are_served_as_they_are(host, path):
    assert get(host.port, path)[:2] == (200, None)


def test_the_host_accepted_every_rule(host):
    log = host.log.read_text(errors="replace")
    assert "Local dev server ready" in log or "Ready on" in log, log  # the log is the server's
    assert COMPLAINTS[host.name] not in log, log


def test_the_part_at_errors_of_a_larger_site(part_site, tmp_path_factory):
    """The default layout, copied into the errors/ folder of a host whose _redirects at the
    root is the part's: forms redirect, and a missing path gets the part's 404 page."""
    for name, (tool, serve) in sorted(HOSTS.items()):
        if host_tool(tool) is None:
            pytest.skip(f"no {tool} in node_modules")
        scratch = tmp_path_factory.mktemp(f"part-{name}")
        root = deploy(part_site.root, name, scratch / "root", errors_folder=True)
        (scratch / "server").mkdir()
        with serve(root, scratch / "server") as (port, _):
            for path in ("/errors/DUPLICATE_JOB", "/errors/ojs-3001/", "/errors/ojs.CodeDuplicateJob"):
                assert get(port, path)[:2] == (301, "/errors/OJS-3001/"), (name, path)
            status, _, body = get(port, "/errors/OJS-3001/")
            assert status == 200 and b"OJS-3001 DuplicateJob" in body
            assert is_404_page(*get(port, "/errors/no-such-thing")), name


def test_a_larger_catalog_keeps_cloudflares_limit_and_the_address_bar_forms(tmp_path):
    """Past 2,000 rules whole tiers of SDK constants are left to the 404 page, and the file
    says how many; the code in lower case and the canonical code keep their rules."""
    from bench.synthetic import write_synthetic_catalog
    from macros.catalog import load_catalog
    from macros.hosting import CLOUDFLARE_STATIC_RULES, cloudflare_redirects
    from macros.layout import Layout

    catalog = load_catalog(write_synthetic_catalog(300, tmp_path / "catalog.yaml"))
    text = cloudflare_redirects(catalog, Layout("site", "https://openjobspec.org/"))
    rules = [line.split() for line in text.splitlines() if line and not line.startswith("#")]
    assert len(rules) <= CLOUDFLARE_STATIC_RULES
    assert "left to the 404 page" in text
    assert all(len(rule) == 3 and rule[2] == "301" and not any(ch in rule[0] for ch in RESERVED) for rule in rules)
    sources = {rule[0] for rule in rules}
    for code in catalog.codes:
        assert f"/errors/{code.code.lower()}/" in sources and f"/errors/{code.code}" in sources
        if code.canonical_code:
            assert f"/errors/{code.canonical_code}/" in sources
