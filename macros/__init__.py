"""Macros for the hand-written pages (mkdocs-macros `module_name: macros`).

The catalog is loaded by the error-catalog plugin (macros/plugin.py), whose on_config runs
first; these macros render its tables into the page that calls them. Pages get no raw
catalog text as variables: all of it goes through render.py, which escapes it.
"""

from __future__ import annotations

import posixpath

from . import render
from .layout import ERRORS_DIR


def define_env(env) -> None:
    catalog = env.conf.plugins["error-catalog"].catalog
    env.variables["catalog_version"] = catalog.version
    env.variables["code_count"] = len(catalog.codes)
    env.variables["category_count"] = len(catalog.categories)
    env.variables["canonical_count"] = sum(1 for c in catalog.codes if c.canonical_code)

    def errors_base() -> str:
        """Prefix from the calling page's source folder to the errors/ folder."""
        prefix = posixpath.relpath(ERRORS_DIR, posixpath.dirname(env.page.file.src_uri) or ".")
        return "" if prefix == "." else prefix + "/"

    @env.macro
    def categories_table() -> str:
        return render.categories_table(catalog, base=errors_base())

    @env.macro
    def codes_table() -> str:
        return render.codes_table(catalog, catalog.codes, with_category=True, base=errors_base())

    @env.macro
    def mapping_table(code_heading: str = "Code") -> str:
        return render.mapping_table(catalog, base=errors_base(), code_heading=code_heading)
