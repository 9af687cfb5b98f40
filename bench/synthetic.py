"""Synthetic catalogs of any size, in the project's own data format, for benchmarks and tests.

Codes are spread evenly over the real catalog's categories. Each one borrows the text of a
real code of its category, so pages are as long as real ones, and every optional field is
filled (canonical code, example with details and headers, gRPC, AMQP, related codes,
variants, sources).
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import yaml

from macros.sdk import screaming_snake
from macros.sections import CATALOG_FOLDER

ROOT = Path(__file__).resolve().parent.parent
REAL_CATALOG = ROOT / "data" / "catalog.yaml"
MAX_CODES_PER_CATEGORY = 1000  # OJS-X000 to OJS-X999


def synthetic_catalog(total: int, real_catalog: Path = REAL_CATALOG, prefix: str = "OJS-") -> dict:
    """`prefix` (letters, and a hyphen or underscore) writes codes another way: E3001 for "E"."""
    real = yaml.safe_load(real_catalog.read_text(encoding="utf-8"))
    categories = real["categories"]
    if not 0 < total <= MAX_CODES_PER_CATEGORY * len(categories):
        raise ValueError(f"a catalog holds 1 to {MAX_CODES_PER_CATEGORY * len(categories)} codes, not {total}")
    # What the implementations do is known of the real codes only: a synthetic catalog has none.
    catalog = {key: copy.deepcopy(value) for key, value in real.items()
               if key not in ("categories", "implementations", "wire_codes")}
    # Its codes are not the real ones: the real example code is not among them; nor has it the
    # wire codes the real catalog's wire codes page opens on.
    catalog["catalog"] = {k: v for k, v in catalog["catalog"].items() if k not in ("example_code", "wire_codes_intro")}
    if prefix != "OJS-":
        catalog["code_format"] = {**{k: v for k, v in catalog["code_format"].items() if k != "form"},
                                  "pattern": f"{prefix}(?P<number>(?P<category>[1-9])[0-9]{{3}})",
                                  "range": f"{prefix}{{category}}xxx",
                                  "range_first": f"{prefix}{{category}}000", "range_last": f"{prefix}{{category}}999"}
    catalog["categories"] = []
    per_category, extra = divmod(total, len(categories))
    for index, category in enumerate(categories):
        count = per_category + (1 if index < extra else 0)
        if count == 0:
            continue
        templates = category["codes"]
        codes = [_synthetic_code(prefix, category["digit"], number, templates[number % len(templates)], count)
                 for number in range(count)]
        catalog["categories"].append({**category, "codes": codes})
    return catalog


def _synthetic_code(prefix: str, digit: int, number: int, template: dict, count: int) -> dict:
    code = f"{prefix}{digit}{number:03d}"
    name = f"{template['name']}{digit}{number:03d}"
    neighbours = [n for n in (number - 1, number + 1) if 0 <= n < count]
    return {
        "code": code,
        "name": name,
        "http_status": template["http_status"] or 422,
        "canonical_code": screaming_snake(name),
        "description": template["description"],
        "retryable": template["retryable"],
        "added_in": "1.0.0",
        "resolution": template["resolution"],
        "related": [f"{prefix}{digit}{n:03d}" for n in neighbours],
        "grpc_status": template.get("grpc_status", "FAILED_PRECONDITION"),
        "amqp": template.get("amqp", {"mechanism": "The message is nacked and requeued with a delay.",
                                      "header": True}),
        # A wire code of its own: one the real codes share would need a page of its own.
        "variants": [{**v, "code": f"{v['code']}_{digit}{number:03d}"} if "code" in v else v
                     for v in template.get("variants", [])],
        "sources": template["sources"],
        **{key: template[key] for key in ("surfaces", "surfaces_note") if key in template},
        "example": {
            "message": f"{template['description'].rstrip('.')} (synthetic {code})",
            "details": {"field": "args", "index": number},
            "headers": {"X-Request-Id": f"req-{digit}{number:03d}"},
            "error_type": name,
        },
    }


class _Dumper(yaml.SafeDumper):
    """Writes shared values out in full: catalogs may not use YAML anchors and aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def copy_sections(source: Path, path: Path) -> None:
    """Beside the catalog file `path`, the page sections the catalog file `source` brings."""
    folder = source.parent / CATALOG_FOLDER
    if folder.is_dir() and path.parent.resolve() != source.parent.resolve():
        shutil.copytree(folder, path.parent / CATALOG_FOLDER, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))


def write_catalog(raw: dict, path: Path) -> Path:
    """Write a catalog file, and beside it the lock that publishes exactly its codes and the
    real catalog's page sections (which it may declare)."""
    copy_sections(REAL_CATALOG, path)
    path.write_text(yaml.dump(raw, Dumper=_Dumper, sort_keys=False, allow_unicode=True), encoding="utf-8")
    codes = [{"code": c["code"], "name": c["name"], "canonical_code": c.get("canonical_code"),
              **({"deprecated_in": c["deprecated_in"]} if c.get("deprecated_in") else {})}
             for category in raw["categories"] for c in category["codes"]]
    (path.parent / "published-codes.json").write_text(json.dumps({"codes": codes}, indent=1), encoding="utf-8")
    return path


def write_synthetic_catalog(total: int, path: Path, prefix: str = "OJS-") -> Path:
    return write_catalog(synthetic_catalog(total, prefix=prefix), path)
