"""The build's addresses, checked once every file is in place: no alias that is another page's
address but for case, and no form of a code that is the address of a page or file, which
every host would redirect to the code's page."""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from .forms import pages_and_forms
from .layout import ERRORS_DIR
from .model import Catalog


def refuse_case_collisions(catalog: Catalog, files: Files, catalog_path) -> None:
    """An alias errors/CHANGELOG/ would be the page errors/changelog/ on many hosts."""
    pages = {}
    for file in files:
        folder = file.dest_uri.rsplit("/", 1)[0] if file.dest_uri.endswith("/index.html") else file.dest_uri
        pages.setdefault(folder.casefold(), folder)
    for code in catalog.codes:
        if code.alias:
            alias = f"{ERRORS_DIR}/{code.alias}"
            if alias.casefold() in pages:
                raise PluginError(f"{catalog_path}: code {code.code}: field 'canonical_code': "
                                  f"its address {alias}/ is the page {pages[alias.casefold()]} of the site "
                                  "but for case; choose another canonical code")


def refuse_forms_at_files(catalog: Catalog, files: Files, catalog_dir: str, catalog_path) -> None:
    """A form of a code is an address every host redirects to the code's page: it must
    not be the address of a page or file of the build, in any case (nginx folds case,
    Cloudflare and Netlify take each form as written and in lower case). `catalog_dir` is
    where the layout puts the catalog's files."""
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
    for name, forms in pages_and_forms(catalog):
        for form in forms:
            other = taken.get(form.text.casefold())
            if other is not None and form.text.casefold() != name.casefold():
                problems.append(f"{catalog_path}: {name}: its form {form.text} ({form.kind}) is the "
                                f"address of {other} of the site, which every host would redirect to "
                                f"{name}: choose another")
    if problems:
        raise PluginError("\n".join(problems))
